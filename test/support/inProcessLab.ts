/**
 * `window.lab` for component tests: the same contract, answered in-process by the real
 * main-process handlers and a real JobHost (no Electron, no network).
 */
import type { Worker } from 'node:worker_threads'
import type { LabApi, LabEvent, LabEvents } from '../../src/shared/contract'
import { createHandlers, dispatch } from '../../src/main/lab/handlers'
import { JobHost } from '../../src/main/lab/jobs/jobHost'
import type { WriteQuestion } from '../../src/main/lab/writePolicy'
import { createSourceWorker } from './jobHost'
import { testAppInfo } from './appInfo'

export interface InProcessLabOptions {
  dataDirectory?: string
  /** How the user answers main's write-permission message boxes, in order (none left: declined). */
  confirmAnswers?: boolean[]
  /** What the user picks in main's open dialogs, in order (none left: cancelled). */
  dialogAnswers?: string[]
}

export function installInProcessLab(options: InProcessLabOptions = {}): {
  jobs: JobHost
  api: LabApi
  questions: WriteQuestion[]
  workers: Worker[]
  revealed: string[]
} {
  const questions: WriteQuestion[] = []
  /** Paths main was asked to show in the file manager. */
  const revealed: string[] = []
  /** Every job worker started, in order, so tests can kill one as a crash would. */
  const workers: Worker[] = []
  const listeners = new Map<LabEvent, Set<(payload: never) => void>>()
  const emit = <E extends LabEvent>(event: E, payload: LabEvents[E]): void => {
    for (const listener of listeners.get(event) ?? []) listener(payload as never)
  }
  const jobs = new JobHost({
    createWorker: () => {
      const worker = createSourceWorker()
      workers.push(worker)
      return worker
    },
    onProgress: (_owner, id, progress) => emit('job.progress', { id, progress }),
    onLog: (_owner, id, line) => emit('job.log', { id, line })
  })
  const handlers = createHandlers({
    jobs,
    appInfo: () => testAppInfo(options.dataDirectory ?? '/tmp'),
    choosePath: () => Promise.resolve(options.dialogAnswers?.shift() ?? null),
    confirm: (question) => {
      questions.push(question)
      return Promise.resolve(options.confirmAnswers?.shift() ?? false)
    },
    showItemInFolder: (path) => revealed.push(path)
  })
  const api: LabApi = {
    invoke: (channel, input) => dispatch(handlers, channel, input, 'renderer') as never,
    on(event, listener) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener as (payload: never) => void)
      return () => set.delete(listener as (payload: never) => void)
    }
  }
  // In the happy-dom environment the global object is the window the renderer code reads.
  Object.assign(globalThis, { lab: api })
  return { jobs, api, questions, workers, revealed }
}
