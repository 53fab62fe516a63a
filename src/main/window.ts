import { BrowserWindow, nativeTheme, type BrowserWindowConstructorOptions } from 'electron'

/** The security baseline of the one window: isolated, sandboxed, no Node in the page. */
export function mainWindowOptions(preload: string, icon?: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Yield Lab',
    autoHideMenuBar: true,
    // Matches the page background in each theme, so there is no white flash on start.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#f6f7f9',
    ...(icon === undefined ? {} : { icon }),
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false
    }
  }
}

export function createMainWindow(preload: string, url: string, icon?: string): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(preload, icon))
  window.once('ready-to-show', () => window.show())
  void window.loadURL(url)
  return window
}
