/**
 * The single description of everything that crosses between main and renderer. Each channel is
 * declared once: its valibot schema validates arguments in main, and the TypeScript types of
 * preload, renderer and handlers all derive from it, so a mismatch is a compile error.
 */
import * as v from 'valibot'
import type { LabErrorInfo } from './errors'
import type { JobProgressReport } from './jobKinds'
import { jobKinds, type JobKind } from './jobKinds'
import { filePathSchema } from './paths'
import { smokeReportSchema } from './smoke'
import { fileNameSchema, ncduExportBytesSchema } from './walkJob'
import { historyPageSchema, MAX_SWEEP_JSON_CHARS, sweepIdSchema, sweepRunDraftSchema, type SweepRun } from './sweep'

/** Declares a channel: `channel(inputSchema).returns<Output>()`. */
function channel<Input extends v.GenericSchema>(input: Input) {
  return {
    returns<Output>(): { input: Input; output: Output } {
      return { input, output: undefined as Output }
    }
  }
}

const jobIdSchema = v.pipe(v.string(), v.regex(/^job-[1-9][0-9]{0,15}$/, 'is not a job id'))

const MAX_BATCH_ITEMS = 1_000_000

const batchSizeSchema = v.pipe(
  v.number(),
  v.integer('must be a whole number'),
  v.minValue(1, 'must be at least 1'),
  v.maxValue(MAX_BATCH_ITEMS, `must be at most ${MAX_BATCH_ITEMS}`)
)

/** Python's generator states (inspect.getgeneratorstate), for remote generators too. */
export type GeneratorState = 'created' | 'running' | 'suspended' | 'closed'

export interface JobHandle {
  id: string
  kind: JobKind
  state: GeneratorState
}

/** One pull from a remote generator: up to maxItems items, and the return value once done. */
export interface JobBatch {
  /** The items, unless they travel packed. */
  items: unknown[]
  /** The items of a kind in jobItemsCodecs, packed (then `items` is empty): read both with batchItems. */
  packed?: unknown
  done: boolean
  /** The generator's return value, present once done. */
  value?: unknown
  state: GeneratorState
}

export interface AppInfo {
  name: string
  version: string
  platform: string
  arch: string
  cpuModel: string
  cpuCount: number
  totalMemoryBytes: number
  dataDirectory: string
  versions: Record<string, string>
}

/** What dialog.choosePath asks for: a file or a folder to read, or a folder to write into. */
export const pathKinds = ['file', 'directory', 'outputDirectory'] as const
export type PathKind = (typeof pathKinds)[number]

export const channels = {
  'job.open': channel(v.object({ kind: v.picklist(jobKinds), args: v.unknown() })).returns<JobHandle>(),
  'job.next': channel(v.object({ id: jobIdSchema, maxItems: batchSizeSchema })).returns<JobBatch>(),
  'job.return': channel(v.object({ id: jobIdSchema })).returns<JobBatch>(),
  'job.throw': channel(
    v.object({ id: jobIdSchema, message: v.pipe(v.string(), v.maxLength(2000)) })
  ).returns<JobBatch>(),
  'app.info': channel(v.undefined()).returns<AppInfo>(),
  /** Only in a `--smoke` run: the renderer's checks; main prints the verdict and quits. */
  'app.smokeReport': channel(smokeReportSchema).returns<{ received: true }>(),
  /**
   * Main's open dialog: a file or a folder to read, or (outputDirectory) a folder for the app to
   * write into, which main titles itself and which may then be written for the session. Choosing
   * a file or a folder to read grants no writing.
   */
  'dialog.choosePath': channel(
    v.object({ kind: v.picklist(pathKinds), title: v.optional(v.pipe(v.string(), v.maxLength(200))) })
  ).returns<{ path: string | null }>(),
  /**
   * Shows a file or folder in the system's file manager (Electron's shell.showItemInFolder). A
   * path that is not valid UTF-8, which the shell cannot be given, shows its nearest folder that
   * is; `shown` says which path was shown.
   */
  'shell.showItemInFolder': channel(v.strictObject({ path: filePathSchema })).returns<{ shown: string }>(),
  /**
   * Asks the user, in a message box main shows, whether the app may write into a folder they
   * typed (sample data). Granted for the session; the app's data folder and folders chosen with
   * dialog.choosePath as an outputDirectory need no asking. Writing anywhere else is PERMISSION_DENIED.
   */
  'dialog.allowWrite': channel(v.strictObject({ directory: filePathSchema })).returns<{
    directory: string
    granted: boolean
  }>(),
  /**
   * A page of past sweeps in <dataDirectory>/sweeps, newest entry first (an import counts from
   * when it was imported), plus files there that are not valid runs; `more` when older ones follow.
   */
  /**
   * Saves a scan in ncdu's export format (src/shared/ncdu.ts): main asks where in its own save
   * dialog, checks the bytes are a well-formed export and writes them atomically. `path` is null
   * when the user cancelled the dialog.
   */
  'walk.saveNcdu': channel(
    v.strictObject({
      bytes: ncduExportBytesSchema,
      /** The file name the dialog proposes. */
      suggestedName: fileNameSchema
    })
  ).returns<{ path: string | null }>(),
  'sweeps.list': channel(v.optional(historyPageSchema)).returns<{
    runs: SweepRun[]
    problems: { file: string; message: string }[]
    more: boolean
  }>(),
  /** Keeps a finished or cancelled sweep (validated in full; written atomically) under a new id. */
  'sweeps.save': channel(v.strictObject({ run: sweepRunDraftSchema })).returns<SweepRun>(),
  'sweeps.delete': channel(v.strictObject({ id: sweepIdSchema })).returns<{ id: string }>(),
  /** Adds an exported sweep (a colleague's) from its JSON text; corrupt or foreign JSON writes nothing. */
  'sweeps.import': channel(
    v.strictObject({
      // An empty text passes: the import's parser says "the file is empty", as for a trace.
      json: v.pipe(v.string(), v.maxLength(MAX_SWEEP_JSON_CHARS, `must be at most ${MAX_SWEEP_JSON_CHARS} characters`))
    })
  ).returns<SweepRun>()
} as const

export type Channel = keyof typeof channels
export const channelNames = Object.keys(channels) as Channel[]
export type ChannelInput<C extends Channel> = v.InferInput<(typeof channels)[C]['input']>
export type ChannelOutput<C extends Channel> = (typeof channels)[C]['output']

/** Events main sends to the renderer. */
export interface LabEvents {
  'job.progress': { id: string; progress: JobProgressReport }
  'job.log': { id: string; line: string }
}
export type LabEvent = keyof LabEvents
export const eventNames: readonly LabEvent[] = ['job.progress', 'job.log']

/** Every reply is an envelope, so the structured LabError survives IPC intact. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: LabErrorInfo }

/** What preload exposes as `window.lab` (and the e2e bridge mimics). */
export interface LabApi {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Envelope<ChannelOutput<C>>>
  on<E extends LabEvent>(event: E, listener: (payload: LabEvents[E]) => void): () => void
}
