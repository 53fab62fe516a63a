import type { Session, WebContents } from 'electron'

/**
 * No navigation away from the app, no new windows, no webviews: the renderer only ever shows
 * our own page. Applied to every WebContents as it is created.
 */
export function hardenWebContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/** The app asks for no permission (camera, notifications, …), so every request is refused. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/** Hosts a development server may be on: this machine's loopback only. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * The renderer's development server (electron-vite's `npm run dev` names it in
 * ELECTRON_RENDERER_URL), or undefined, which means the app's own app:// pages. The page it names
 * is served every IPC channel, so a packaged app never takes one from its environment, and
 * development takes only http on this machine's loopback; `refused` says why one was not taken.
 */
export function devServerUrlOf(
  env: Readonly<Record<string, string | undefined>>,
  isPackaged: boolean
): { url?: string; refused?: string } {
  const text = env['ELECTRON_RENDERER_URL']
  if (text === undefined || text === '') return {}
  if (isPackaged) return { refused: 'ELECTRON_RENDERER_URL is ignored: a packaged app loads only its own pages' }
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  if (url === undefined || url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname))
    return { refused: `ELECTRON_RENDERER_URL is ignored: ${JSON.stringify(text)} is not an http URL on this machine` }
  return { url: url.href }
}

/** Is this URL our own renderer (the app:// origin, or the dev server while developing)? */
export function appUrlMatcher(appOrigin: string): (url: string) => boolean {
  return (url) => {
    try {
      // Not URL.origin: Node reports "null" as the origin of custom schemes such as app://.
      const parsed = new URL(url)
      return `${parsed.protocol}//${parsed.host}` === appOrigin
    } catch {
      return false
    }
  }
}
