/**
 * The Electron glue, tested against a fake `electron` module that records what the glue asks of
 * it: window options, IPC registration, sender checks, navigation and permission policy.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'

const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown
  class FakeEmitter {
    listeners = new Map<string, Listener[]>()
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
      return this
    }
    once(event: string, listener: Listener) {
      return this.on(event, listener)
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(event) ?? []) listener(...args)
    }
  }
  class FakeBrowserWindow extends FakeEmitter {
    static created: FakeBrowserWindow[] = []
    loadedUrl?: string
    shown = false
    constructor(readonly options: Record<string, unknown>) {
      super()
      FakeBrowserWindow.created.push(this)
    }
    loadURL(url: string) {
      this.loadedUrl = url
      return Promise.resolve()
    }
    show() {
      this.shown = true
    }
  }
  const handlers = new Map<string, Listener>()
  const shown: string[] = []
  return {
    FakeEmitter,
    FakeBrowserWindow,
    handlers,
    shown,
    module: {
      shell: { showItemInFolder: (path: string) => shown.push(path) },
      BrowserWindow: FakeBrowserWindow,
      nativeTheme: { shouldUseDarkColors: false },
      ipcMain: { handle: (channel: string, handler: Listener) => handlers.set(channel, handler) }
    }
  }
})

vi.mock('electron', () => ({ ...fake.module, default: fake.module }))

const { createMainWindow, mainWindowOptions } = await import('../../src/main/window')
const { appUrlMatcher, devServerUrlOf, hardenSession, hardenWebContents } = await import('../../src/main/security')
const { registerIpc } = await import('../../src/main/ipc')
const { channelNames } = await import('../../src/shared/contract')
const { serveRenderer, registerAppScheme, APP_ORIGIN } = await import('../../src/main/appProtocol')
const { showInFileManager } = await import('../../src/main/fileManager')
const { createHandlers, dispatch } = await import('../../src/main/lab/handlers')

beforeEach(() => {
  fake.handlers.clear()
  fake.FakeBrowserWindow.created = []
})

describe('main window', () => {
  test('is isolated, sandboxed and has no Node integration', () => {
    const options = mainWindowOptions('/app/preload/index.cjs')
    expect(options.webPreferences).toEqual({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false
    })
  })

  test('loads the app URL and shows itself once ready', () => {
    const window = createMainWindow('/p.cjs', `${APP_ORIGIN}/index.html`, '/icon.png') as unknown as InstanceType<
      typeof fake.FakeBrowserWindow
    >
    expect(window.loadedUrl).toBe('app://yield-lab/index.html')
    expect(window.options['icon']).toBe('/icon.png')
    expect(window.shown).toBe(false)
    window.emit('ready-to-show')
    expect(window.shown).toBe(true)
  })
})

describe('navigation and permissions', () => {
  function hardenedContents() {
    const contents = new fake.FakeEmitter() as InstanceType<typeof fake.FakeEmitter> & {
      openHandler?: () => unknown
      setWindowOpenHandler(handler: () => unknown): void
    }
    contents.setWindowOpenHandler = (handler) => (contents.openHandler = handler)
    hardenWebContents(contents as never, appUrlMatcher(APP_ORIGIN))
    return contents
  }

  test('navigation away from the app is prevented, within it allowed', () => {
    const contents = hardenedContents()
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://other/index.html', 'not a url']) {
      const event = { preventDefault: vi.fn() }
      contents.emit('will-navigate', event, url)
      expect(event.preventDefault, url).toHaveBeenCalled()
    }
    const inside = { preventDefault: vi.fn() }
    contents.emit('will-navigate', inside, 'app://yield-lab/index.html')
    expect(inside.preventDefault).not.toHaveBeenCalled()
    const redirect = { preventDefault: vi.fn() }
    contents.emit('will-redirect', redirect, 'https://example.com/')
    expect(redirect.preventDefault).toHaveBeenCalled()
  })

  test('new windows are denied and webviews never attach', () => {
    const contents = hardenedContents()
    expect(contents.openHandler?.()).toEqual({ action: 'deny' })
    const event = { preventDefault: vi.fn() }
    contents.emit('will-attach-webview', event)
    expect(event.preventDefault).toHaveBeenCalled()
  })

  test('every permission request and check is refused', () => {
    let requestHandler: ((c: unknown, p: string, callback: (granted: boolean) => void) => void) | undefined
    let checkHandler: (() => boolean) | undefined
    hardenSession({
      setPermissionRequestHandler: (handler: typeof requestHandler) => (requestHandler = handler),
      setPermissionCheckHandler: (handler: typeof checkHandler) => (checkHandler = handler)
    } as never)
    const callback = vi.fn()
    requestHandler?.({}, 'media', callback)
    expect(callback).toHaveBeenCalledWith(false)
    expect(checkHandler?.()).toBe(false)
  })
})

describe('development server', () => {
  test('only an unpackaged app takes ELECTRON_RENDERER_URL, and only http on loopback', () => {
    const named = (url: string | undefined, isPackaged = false) =>
      devServerUrlOf({ ELECTRON_RENDERER_URL: url }, isPackaged)
    expect(named(undefined)).toEqual({})
    expect(named('')).toEqual({})
    for (const url of ['http://localhost:5173', 'http://127.0.0.1:5173/', 'http://[::1]:5173/'])
      expect(named(url).url).toBe(new URL(url).href)
    expect(named('http://localhost:5173', true)).toEqual({
      refused: 'ELECTRON_RENDERER_URL is ignored: a packaged app loads only its own pages'
    })
    for (const url of ['https://evil.example/', 'http://evil.example:5173/', 'file:///tmp/x.html', 'not a url'])
      expect(named(url).refused, url).toMatch(
        /^ELECTRON_RENDERER_URL is ignored: ".*" is not an http URL on this machine$/
      )
  })
})

describe('IPC registration', () => {
  function register() {
    const calls: { channel: string; input: unknown; owner: unknown }[] = []
    const handlers = Object.fromEntries(
      channelNames.map((channel) => [
        channel,
        (input: unknown, owner: unknown) => (calls.push({ channel, input, owner }), 'done')
      ])
    )
    registerIpc(fake.module.ipcMain as never, handlers as never, appUrlMatcher(APP_ORIGIN))
    return calls
  }
  const mainFrame = { url: 'app://yield-lab/index.html', parent: null }

  test('registers exactly the contract’s channels', () => {
    register()
    expect([...fake.handlers.keys()].sort()).toEqual([...channelNames].sort())
  })

  test('serves the app’s main frame, with the sender as owner', async () => {
    const calls = register()
    const reply = await fake.handlers.get('app.info')!({ senderFrame: mainFrame, sender: { id: 7 } }, undefined)
    expect(reply).toEqual({ ok: true, value: 'done' })
    expect(calls).toEqual([{ channel: 'app.info', input: undefined, owner: 7 }])
  })

  test.each([
    ['another origin', { url: 'https://evil.example/', parent: null }],
    ['a subframe of the app', { url: 'app://yield-lab/index.html', parent: mainFrame }],
    ['a destroyed frame', null]
  ])('refuses %s without running the handler', async (_what, senderFrame) => {
    const calls = register()
    const reply = await fake.handlers.get('job.open')!(
      { senderFrame, sender: { id: 1 } },
      { kind: 'range', args: { start: 0, stop: 1 } }
    )
    expect(reply).toEqual({
      ok: false,
      error: { code: 'PERMISSION_DENIED', message: 'job.open: request from an untrusted frame refused.' }
    })
    expect(calls).toEqual([])
  })
})

describe('app:// protocol', () => {
  let root = ''
  afterEach(() => {
    if (root !== '') rmSync(root, { recursive: true, force: true })
    root = ''
  })

  test('is registered as a secure standard scheme', () => {
    const registerSchemesAsPrivileged = vi.fn()
    registerAppScheme({ registerSchemesAsPrivileged } as never)
    expect(registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }
    ])
  })

  test('serves renderer files with the CSP and isolation headers, and nothing outside the root', async () => {
    root = mkdtempSync(join(tmpdir(), 'yield-lab-renderer-'))
    mkdirSync(join(root, 'assets'))
    writeFileSync(join(root, 'index.html'), '<!doctype html>')
    writeFileSync(join(root, 'assets', 'app.wasm'), 'wasm')
    let handler: ((request: Request) => Promise<Response>) | undefined
    serveRenderer({ handle: (_scheme: string, h: typeof handler) => (handler = h) } as never, root)

    const index = await handler!(new Request('app://yield-lab/index.html'))
    expect(index.status).toBe(200)
    expect(await index.text()).toBe('<!doctype html>')
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(index.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(index.headers.get('cross-origin-embedder-policy')).toBe('require-corp')
    expect((await handler!(new Request('app://yield-lab/assets/app.wasm'))).headers.get('content-type')).toBe(
      'application/wasm'
    )
    const outside = mkdtempSync(join(tmpdir(), 'yield-lab-outside-'))
    writeFileSync(join(outside, 'secret.txt'), 'secret')
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link-out.txt'))
    for (const url of [
      'app://yield-lab/..%2f..%2fetc%2fpasswd',
      'app://other-host/index.html',
      'app://yield-lab/missing.js',
      'app://yield-lab/link-out.txt',
      'app://yield-lab/assets'
    ]) {
      expect((await handler!(new Request(url))).status, url).toBe(404)
    }
    rmSync(outside, { recursive: true, force: true })
  })
})

describe('file manager', () => {
  test('shell.showItemInFolder from the renderer reaches Electron’s shell with the checked path', async () => {
    const base = mkdtempSync(join(tmpdir(), 'yield-lab-glue-reveal-'))
    try {
      const file = join(base, 'kept.txt')
      writeFileSync(file, 'k')
      const handlers = createHandlers({
        jobs: {} as never,
        appInfo: () => {
          throw new Error('not asked')
        },
        choosePath: () => Promise.resolve(null),
        confirm: () => Promise.resolve(false),
        showItemInFolder: showInFileManager
      })
      fake.shown.length = 0
      expect(await dispatch(handlers, 'shell.showItemInFolder', { path: file }, 'owner')).toEqual({
        ok: true,
        value: { shown: file }
      })
      expect(await dispatch(handlers, 'shell.showItemInFolder', { path: join(base, 'nope') }, 'owner')).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' }
      })
      expect(fake.shown).toEqual([file])
    } finally {
      rmSync(base, { recursive: true, force: true })
    }
  })
})
