/**
 * The main-process side of every contract channel, free of Electron so that tests and the e2e
 * bridge run exactly this code. Electron-only abilities (dialogs) come in as dependencies.
 */
import * as v from 'valibot'
import {
  channels,
  type AppInfo,
  type Channel,
  type ChannelOutput,
  type Envelope,
  type PathKind
} from '../../shared/contract'
import { LabError } from '../../shared/errors'
import type { SmokeChecks } from '../../shared/smoke'
import { importFileArgsSchema } from '../../shared/importFile'
import { sampleDataArgsSchema } from '../../shared/readJobs'
import { toLabError } from './errors'
import { revealablePath } from './revealablePath'
import type { JobHost, Owner } from './jobs/jobHost'
import { SweepHistory } from './sweep/sweepHistory'
import { validationError } from './validation'
import { checkWritableFolder, writeAtomically } from './temporaryFiles'
import { canonicalFolder, OUTPUT_FOLDER_TITLE, WritePolicy, type WriteQuestion } from './writePolicy'

export interface HandlerDependencies {
  jobs: JobHost
  appInfo(): AppInfo
  choosePath(kind: PathKind, title?: string): Promise<string | null>
  /** Shows a native save dialog proposing `defaultName`; null when cancelled. Absent where there is none. */
  chooseSavePath?(title: string, defaultName: string): Promise<string | null>
  /** Shows a native yes/no message box; true when the user confirmed. */
  confirm(question: WriteQuestion): Promise<boolean>
  /** Shows an existing file or folder in the system's file manager. */
  showItemInFolder(path: string): void
  /** Present only in a `--smoke` run: takes the renderer's checks. */
  smokeReport?(checks: SmokeChecks): void
}

export type Handlers = {
  [C in Channel]: (
    input: v.InferOutput<(typeof channels)[C]['input']>,
    owner: Owner
  ) => Promise<ChannelOutput<C>> | ChannelOutput<C>
}

export function createHandlers({
  jobs,
  appInfo,
  choosePath,
  chooseSavePath,
  confirm,
  showItemInFolder,
  smokeReport
}: HandlerDependencies): Handlers {
  /** Sweep history lives in the app's data directory (app.info's dataDirectory), found once on first use. */
  let history: SweepHistory | undefined
  const sweeps = (): SweepHistory => (history ??= new SweepHistory(appInfo().dataDirectory))
  const writes = new WritePolicy(() => appInfo().dataDirectory, confirm)
  /** Files the user chose in main's open dialog: only those are read whole for the page (importFile). */
  const chosenFiles = new Set<string>()
  return {
    'job.open': ({ kind, args }, owner) => {
      // Jobs that write check the folder here, in main, before any worker starts.
      const sample = v.safeParse(sampleDataArgsSchema, args)
      if (kind === 'sampleData' && sample.success) writes.check(sample.output.directory)
      const imported = v.safeParse(importFileArgsSchema, args)
      if (kind === 'importFile' && imported.success && !chosenFiles.has(imported.output.file))
        throw new LabError(
          'PERMISSION_DENIED',
          `${imported.output.file}: only a file chosen in the open dialog can be imported`,
          imported.output.file
        )
      return jobs.open(owner, kind, args)
    },
    'job.next': ({ id, maxItems }, owner) => jobs.next(owner, id, maxItems),
    'job.return': ({ id }, owner) => jobs.return(owner, id),
    'job.throw': ({ id, message }, owner) => jobs.throw(owner, id, message),
    'app.info': () => appInfo(),
    'app.smokeReport': (checks) => {
      if (smokeReport === undefined) throw new LabError('UNAVAILABLE', 'This is not a --smoke run.')
      smokeReport(checks)
      return { received: true }
    },
    'dialog.choosePath': async ({ kind, title }) => {
      // Only a folder chosen as the place to write may be written, and main words that dialog: a
      // folder chosen to walk grants nothing, whatever the page titled it.
      const path = await choosePath(kind, kind === 'outputDirectory' ? OUTPUT_FOLDER_TITLE : title)
      if (kind === 'outputDirectory' && path !== null) writes.grantChosen(path)
      if (kind === 'file' && path !== null) chosenFiles.add(path)
      return { path }
    },
    'shell.showItemInFolder': ({ path }) => {
      const shown = revealablePath(path)
      showItemInFolder(shown)
      return { shown }
    },
    'dialog.allowWrite': async ({ directory }) => {
      // Asking first would offer a choice the file system then refuses.
      checkWritableFolder(directory)
      return { directory: canonicalFolder(directory), granted: await writes.request(directory) }
    },
    'walk.saveNcdu': async ({ bytes, suggestedName }, owner) => {
      // Refused before asking where: main writes only well-formed exports. Checked in a job worker:
      // decoding a large export takes seconds, in which main's thread would not serve the window.
      await jobs.runToEnd(owner, 'ncduCheck', { bytes, file: suggestedName })
      if (chooseSavePath === undefined) throw new LabError('UNAVAILABLE', 'There is no save dialog here.')
      const path = await chooseSavePath('Save the scan for ncdu', suggestedName)
      if (path === null) return { path: null }
      // The user named this file in main's own dialog: that file is written, and nothing more is granted.
      await writeAtomically(path, bytes)
      return { path }
    },
    'sweeps.list': (page) => sweeps().list(page),
    'sweeps.save': ({ run }) => sweeps().save(run),
    'sweeps.delete': ({ id }) => {
      sweeps().delete(id)
      return { id }
    },
    'sweeps.import': ({ json }) => sweeps().import(json)
  }
}

function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name)
}

/**
 * Validates a request against the contract, runs its handler and wraps the outcome in an
 * envelope. The one entry point for Electron's ipcMain and for the e2e bridge.
 */
export async function dispatch<C extends Channel>(
  handlers: Handlers,
  channel: C | string,
  rawInput: unknown,
  owner: Owner
): Promise<Envelope<ChannelOutput<C>>> {
  try {
    if (!isChannel(channel)) throw new LabError('INVALID_ARGUMENT', `Unknown channel ${String(channel)}.`)
    const parsed = v.safeParse(channels[channel].input, rawInput)
    if (!parsed.success) throw validationError(`arguments to ${channel}`, parsed.issues)
    const handler = handlers[channel] as (input: unknown, owner: Owner) => Promise<ChannelOutput<C>> | ChannelOutput<C>
    return { ok: true, value: await handler(parsed.output, owner) }
  } catch (error) {
    return { ok: false, error: toLabError(error).toInfo() }
  }
}
