/**
 * Electron entry: thin glue that wires the Electron-free lab (src/main/lab) to a window,
 * IPC and dialogs. Everything it does beyond wiring is tested in plain Node.
 */
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { app, BrowserWindow, dialog, ipcMain, protocol, session, webContents } from 'electron'
import icon from '../../resources/icon.png?asset'
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './appProtocol'
import { showInFileManager } from './fileManager'
import { registerIpc } from './ipc'
import { collectAppInfo } from './lab/appInfo'
import { createHandlers } from './lab/handlers'
import { JobHost } from './lab/jobs/jobHost'
import { jobWorkerOptions } from './lab/jobs/jobProtocol'
import jobWorkerPath from './lab/jobs/jobWorker?modulePath'
import { defaultDataDirectory } from './lab/read/sampleData'
import { SWEEPS_DIRECTORY_NAME } from './lab/sweep/sweepHistory'
import { removeStaleTemporaryFiles } from './lab/temporaryFiles'
import { appUrlMatcher, devServerUrlOf, hardenSession, hardenWebContents } from './security'
import { startSmokeRun } from './smoke'
import { SMOKE_FLAG } from '../shared/smoke'
import { createMainWindow } from './window'

const devServer = devServerUrlOf(process.env, app.isPackaged)
if (devServer.refused !== undefined) process.stderr.write(`${devServer.refused}\n`)
const devServerUrl = devServer.url
const rendererOrigin = devServerUrl === undefined ? APP_ORIGIN : new URL(devServerUrl).origin
const isAppUrl = appUrlMatcher(rendererOrigin)

registerAppScheme(protocol)

const jobs = new JobHost({
  createWorker: () => new Worker(jobWorkerPath, jobWorkerOptions),
  onProgress: (owner, id, progress) => webContents.fromId(Number(owner))?.send('job.progress', { id, progress }),
  onLog: (owner, id, line) => webContents.fromId(Number(owner))?.send('job.log', { id, line })
})

// `yield-lab --smoke`: open the window, let the renderer check itself, print the report and quit.
const smoke = process.argv.includes(SMOKE_FLAG)
  ? startSmokeRun({
      print: (line) => process.stdout.write(`${line}\n`),
      quit: (exitCode) => void jobs.closeAll().finally(() => app.exit(exitCode))
    })
  : undefined

app.on('web-contents-created', (_event, contents) => {
  hardenWebContents(contents, isAppUrl)
  // A reload or a crashed/closed page abandons its generators: close them, never leak workers or files.
  const release = (): void => void jobs.closeOwner(contents.id)
  contents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) release()
  })
  contents.on('render-process-gone', release)
  if (smoke !== undefined) {
    contents.on('render-process-gone', (_event, details) =>
      smoke.fail(`the renderer process is gone (${details.reason})`)
    )
    contents.on('did-fail-load', (_event, code, description, url) =>
      smoke.fail(`${url} did not load: ${description} (${code})`)
    )
  }
  contents.on('destroyed', release)
})

void app.whenReady().then(() => {
  hardenSession(session.defaultSession)
  if (devServerUrl === undefined) serveRenderer(protocol, join(import.meta.dirname, '../renderer'))

  const dataDirectory = defaultDataDirectory(app.getPath('userData'))
  // What a crash or power cut left half-written in earlier sessions.
  for (const folder of [dataDirectory, join(dataDirectory, SWEEPS_DIRECTORY_NAME)]) removeStaleTemporaryFiles(folder)

  const handlers = createHandlers({
    jobs,
    appInfo: () => collectAppInfo({ name: app.getName(), version: app.getVersion(), dataDirectory }),
    choosePath: async (kind, title) => {
      const owner = BrowserWindow.getFocusedWindow()
      const options: Electron.OpenDialogOptions =
        kind === 'file'
          ? { title, properties: ['openFile'] }
          : kind === 'directory'
            ? { title, properties: ['openDirectory'] }
            : { title, buttonLabel: 'Write here', properties: ['openDirectory', 'createDirectory'] }
      const result = owner === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(owner, options)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    },
    chooseSavePath: async (title, defaultName) => {
      const owner = BrowserWindow.getFocusedWindow()
      const options = { title, defaultPath: defaultName }
      const result = owner === null ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(owner, options)
      return result.canceled || result.filePath === undefined || result.filePath === '' ? null : result.filePath
    },
    confirm: async ({ message, detail, confirmLabel }) => {
      const owner = BrowserWindow.getFocusedWindow()
      const options = {
        type: 'question' as const,
        message,
        detail,
        buttons: [confirmLabel, 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        noLink: true
      }
      const result = owner === null ? await dialog.showMessageBox(options) : await dialog.showMessageBox(owner, options)
      return result.response === 0
    },
    showItemInFolder: showInFileManager,
    ...(smoke === undefined ? {} : { smokeReport: smoke.report })
  })
  registerIpc(ipcMain, handlers, isAppUrl)

  const preload = join(import.meta.dirname, '../preload/index.cjs')
  const pageUrl = new URL(devServerUrl ?? `${APP_ORIGIN}/index.html`)
  if (smoke !== undefined) pageUrl.searchParams.set('smoke', '')
  const open = (): BrowserWindow => createMainWindow(preload, pageUrl.href, icon)
  open()
  // While the window loads, so the first walk or read starts at once.
  jobs.prepareWorker()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

/** Quitting waits (a few seconds at most) for jobs to close their files, so no write is cut off half-done. */
const QUIT_WAIT_MS = 3000
let jobsClosed = false
app.on('before-quit', (event) => {
  if (jobsClosed) return
  event.preventDefault()
  void jobs.closeAll({ withinMs: QUIT_WAIT_MS }).finally(() => {
    jobsClosed = true
    app.quit()
  })
})
