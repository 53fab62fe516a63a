/**
 * The e2e stand-in for Electron: serves the built renderer over loopback with the app's own
 * headers, and routes `window.lab` calls to the real main-process handlers (the same dispatch
 * ipcMain uses) running the built job worker. A page's event stream closing is its "renderer gone":
 * its jobs are closed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { LabEvent, LabEvents } from '../../../src/shared/contract'
import { collectAppInfo } from '../../../src/main/lab/appInfo'
import { createHandlers, dispatch } from '../../../src/main/lab/handlers'
import { JobHost, type Owner } from '../../../src/main/lab/jobs/jobHost'
import { jobWorkerOptions } from '../../../src/main/lab/jobs/jobProtocol'
import { rendererResponse } from '../../../src/main/rendererFiles'
import type { WriteQuestion } from '../../../src/main/lab/writePolicy'
import { decodeFrame, encodeFrame, encodeWire } from './wireCodec'
import type { SmokeChecks } from '../../../src/shared/smoke'

export const rendererRoot = fileURLToPath(new URL('../../../out/renderer', import.meta.url))
const mainChunks = fileURLToPath(new URL('../../../out/main/chunks', import.meta.url))

/** The job worker exactly as the build ships it (electron-vite names it jobWorker-<hash>.js). */
function builtJobWorker(): string {
  let names: string[] = []
  try {
    names = readdirSync(mainChunks)
  } catch {
    // reported below
  }
  const name = names.find((file) => /^jobWorker-[\w-]+\.js$/.test(file))
  if (name === undefined)
    throw new Error(`No built job worker in ${mainChunks}: run \`npm run build\` before the e2e tests.`)
  return join(mainChunks, name)
}

export interface LabServer {
  url: string
  jobs: JobHost
  /** Paths the native open and save dialogs would return, in order (the dialogs cannot be shown here). */
  dialogAnswers: (string | null)[]
  /** How the user answers main's native message boxes (write permission), in order; none left: declined. */
  confirmAnswers: boolean[]
  /** The questions those message boxes asked. */
  confirmQuestions: WriteQuestion[]
  /** Paths main was asked to show in the system's file manager (shell.showItemInFolder). */
  revealed: string[]
  /** The app's data directory (app.info's dataDirectory; sweeps history lives in its sweeps/). */
  dataDirectory: string
  /** What pages opened with `?smoke` reported (the `--smoke` run's renderer half). */
  smokeReports: SmokeChecks[]
  close(): Promise<void>
}

export async function startLabServer(options: { dataDirectory: string }): Promise<LabServer> {
  const streams = new Map<Owner, ServerResponse>()
  const send = <E extends LabEvent>(owner: Owner, event: E, payload: LabEvents[E]): void => {
    streams.get(owner)?.write(`event: ${event}\ndata: ${encodeWire(payload)}\n\n`)
  }
  const workerPath = builtJobWorker()
  const jobs = new JobHost({
    createWorker: () => new Worker(workerPath, jobWorkerOptions),
    onProgress: (owner, id, progress) => send(owner, 'job.progress', { id, progress }),
    onLog: (owner, id, line) => send(owner, 'job.log', { id, line })
  })
  jobs.prepareWorker()
  const dialogAnswers: (string | null)[] = []
  const confirmAnswers: boolean[] = []
  const confirmQuestions: WriteQuestion[] = []
  const smokeReports: SmokeChecks[] = []
  const revealed: string[] = []
  const handlers = createHandlers({
    jobs,
    appInfo: () => collectAppInfo({ name: 'yield-lab', version: 'e2e', dataDirectory: options.dataDirectory }),
    choosePath: () => Promise.resolve(dialogAnswers.shift() ?? null),
    chooseSavePath: () => Promise.resolve(dialogAnswers.shift() ?? null),
    confirm: (question) => {
      confirmQuestions.push(question)
      return Promise.resolve(confirmAnswers.shift() ?? false)
    },
    showItemInFolder: (path) => revealed.push(path),
    smokeReport: (checks) => smokeReports.push(checks)
  })

  async function readBody(request: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const owner = url.searchParams.get('owner') ?? 'anonymous'
    if (url.pathname === '/lab/invoke' && request.method === 'POST') {
      void readBody(request).then(async (body) => {
        const { channel, input } = decodeFrame(body, 'copies') as { channel: string; input: unknown }
        const reply = await dispatch(handlers, channel, input, owner)
        response.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(encodeFrame(reply))
      })
      return
    }
    if (url.pathname === '/lab/events') {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' })
      response.write(': connected\n\n')
      streams.set(owner, response)
      request.on('close', () => {
        streams.delete(owner)
        void jobs.closeOwner(owner)
      })
      return
    }
    void rendererResponse(rendererRoot, url.pathname).then((found) => {
      if (found === null) response.writeHead(404).end()
      else response.writeHead(200, found.headers).end(found.content)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    jobs,
    smokeReports,
    dialogAnswers,
    confirmAnswers,
    confirmQuestions,
    revealed,
    dataDirectory: options.dataDirectory,
    async close() {
      for (const stream of streams.values()) stream.end()
      await jobs.closeAll()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
