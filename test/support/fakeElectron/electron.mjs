/**
 * A stand-in for the `electron` module that runs the built main process (out/main/index.js) in
 * plain Node: the app, IPC, protocol and window APIs the glue uses, and a scripted "renderer" that
 * loads the page through the registered app:// handler and, for `?smoke` pages, makes the calls
 * the real renderer's smoke check makes, through the registered ipcMain handlers.
 *
 * FAKE_RENDERER_TABS (comma-separated) sets which tabs the scripted renderer says mounted;
 * FAKE_ELECTRON_PACKAGED=1 makes app.isPackaged true.
 */
import { EventEmitter } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ipcHandlers = new Map()
const protocolHandlers = new Map()
let nextContentsId = 1

class FakeApp extends EventEmitter {
  isPackaged = process.env.FAKE_ELECTRON_PACKAGED === '1'
  whenReady() {
    return new Promise((resolve) => setImmediate(resolve))
  }
  getName() {
    return 'yield-lab'
  }
  getVersion() {
    return '0.0.0-fake'
  }
  getPath() {
    return process.env.FAKE_ELECTRON_USER_DATA ?? join(tmpdir(), 'yield-lab-fake-electron-user-data')
  }
  exit(code = 0) {
    process.exit(code)
  }
  quit() {
    process.exit(0)
  }
}
export const app = new FakeApp()

class FakeWebContents extends EventEmitter {
  id = nextContentsId++
  setWindowOpenHandler() {}
  send() {}
}
const allContents = new Map()
export const webContents = { fromId: (id) => allContents.get(id) }

export const ipcMain = { handle: (channel, handler) => ipcHandlers.set(channel, handler) }
export const protocol = {
  registerSchemesAsPrivileged() {},
  handle: (scheme, handler) => protocolHandlers.set(scheme, handler)
}
export const session = { defaultSession: { setPermissionRequestHandler() {}, setPermissionCheckHandler() {} } }
export const dialog = {
  showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
  showSaveDialog: () => Promise.resolve({ canceled: true, filePath: '' })
}
export const nativeTheme = { shouldUseDarkColors: false }
/** Paths the glue asked the shell to show in the file manager. */
export const shell = {
  shown: [],
  showItemInFolder(path) {
    this.shown.push(path)
  }
}

/** The renderer's side of the smoke check, through the same ipcMain handlers the real page reaches. */
async function scriptedRenderer(contents, url) {
  const invoke = async (channel, input) => {
    const handler = ipcHandlers.get(channel)
    if (handler === undefined) throw new Error(`no ipcMain handler for ${channel}`)
    const reply = await handler({ senderFrame: { url, parent: null }, sender: { id: contents.id } }, input)
    if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`)
    return reply.value
  }
  const attempt = async (check) => {
    try {
      return { ok: true, ...(await check()) }
    } catch (error) {
      return { ok: false, error: String(error.message ?? error) }
    }
  }
  const appInfo = await attempt(async () => {
    const { name, version } = await invoke('app.info', undefined)
    return { name, version }
  })
  const range = await attempt(async () => {
    const { id } = await invoke('job.open', { kind: 'range', args: { start: 0, stop: 5 } })
    const items = []
    for (;;) {
      const batch = await invoke('job.next', { id, maxItems: 2 })
      items.push(...batch.items)
      if (batch.done) return { items }
    }
  })
  const mountedTabs = (process.env.FAKE_RENDERER_TABS ?? 'walk,read,sweep,python,trace').split(',').filter(Boolean)
  await invoke('app.smokeReport', { mountedTabs, appInfo, range })
}

export class BrowserWindow extends EventEmitter {
  static windows = []
  static getAllWindows() {
    return BrowserWindow.windows
  }
  static getFocusedWindow() {
    return null
  }
  constructor(options) {
    super()
    this.options = options
    this.webContents = new FakeWebContents()
    allContents.set(this.webContents.id, this.webContents)
    BrowserWindow.windows.push(this)
    app.emit('web-contents-created', {}, this.webContents)
  }
  show() {}
  async loadURL(url) {
    const parsed = new URL(url)
    const handler = protocolHandlers.get(parsed.protocol.slice(0, -1))
    const response = handler === undefined ? await fetch(url) : await handler(new Request(url))
    if (!response.ok) {
      this.webContents.emit('did-fail-load', {}, -6, `HTTP ${response.status}`, url)
      return
    }
    this.emit('ready-to-show')
    if (parsed.searchParams.has('smoke')) await scriptedRenderer(this.webContents, url)
  }
}

export default { app, BrowserWindow, dialog, ipcMain, nativeTheme, protocol, session, shell, webContents }
