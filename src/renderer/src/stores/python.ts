/**
 * The Python console's state: the worker's loading progress, the transcript, the queue of inputs,
 * the live generators of the namespace and the Internals report, and the input history.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import {
  PythonClient,
  PythonInterruptedError,
  PythonRestartedError,
  type PythonEvent,
  type ReadyInfo
} from '@renderer/python/client'
import type { ConsoleExample } from '@renderer/python/examples'
import type { SessionInput } from '@renderer/trace/programs'
import { loadHistory, remember, saveHistory } from '@renderer/python/history'
import type {
  Inspectable,
  Internals,
  LiveObject,
  LoadPhase,
  ResumeSnapshot,
  RunOutcome,
  TraceLimits
} from '@renderer/python/protocol'
import type { Trace } from '@shared/trace'
import {
  appendEntry,
  normalizeInput,
  promptedInput,
  transcriptText,
  type TranscriptEntry
} from '@renderer/python/transcript'
import { createAppPythonClient } from '@renderer/python/workerTransport'

/** What Interrupt does once an interrupt has not stopped the code (its label is then Restart Python). */
export const RESTART_AFTER_STALL_TITLE = 'Python has not stopped: restart it (the names defined before are gone)'

export type PythonStatus = 'idle' | 'loading' | 'ready' | 'failed'
/** Where a Step recording is: waiting for the console's input to end, for Python to load, or recording. */
export type RecordingPhase = 'waiting' | 'loading' | 'recording'
/** What a recording in each phase is doing: the Step tab's button says it, the status bar after "Step: ". */
export const RECORDING_PHASE_TEXT: Record<RecordingPhase, string> = {
  waiting: 'Waiting for the console’s code…',
  loading: 'Loading Python…',
  recording: 'Recording…'
}
export type DriveAction = 'next' | 'send' | 'throw' | 'close'

interface QueuedRun {
  source: string
  watch?: string
  done(outcome: RunOutcome | undefined): void
}

/** A promise, and what settles it: how the console or the Step tab tells the other its code has ended. */
function ending(): { ended: Promise<void>; end: () => void } {
  let end = (): void => {}
  const ended = new Promise<void>((resolve) => (end = resolve))
  return { ended, end }
}

/** The Python line each Live objects button stands for, echoed so the transcript can be replayed. */
export function driveCode(name: string, action: DriveAction, argument = ''): string {
  switch (action) {
    case 'next':
      return `next(${name})`
    case 'send':
      return `${name}.send(${argument.trim() || 'None'})`
    case 'throw':
      return `${name}.throw(${argument.trim() || 'Exception'})`
    case 'close':
      return `${name}.close()`
  }
}

export const usePythonStore = defineStore('python', () => {
  const client = shallowRef<PythonClient>()
  const status = ref<PythonStatus>('idle')
  const phase = ref<LoadPhase>('downloading')
  const readyInfo = ref<ReadyInfo>()
  const failure = ref<string>()
  const transcript = ref<TranscriptEntry[]>([])
  /** What this interpreter has run, in order, and how each ended: Step through this replays it. */
  const sessionInputs = shallowRef<SessionInput[]>([])
  const objects = ref<LiveObject[]>([])
  const inspectables = ref<Inspectable[]>([])
  const selected = ref<string>()
  /** The user chose what Internals shows; otherwise it follows the newest object. */
  const pinned = ref(false)
  /** The names the user has bound, which Restart would forget. */
  const names = ref<string[]>([])
  const internals = ref<Internals>()
  const lastResume = ref<ResumeSnapshot>()
  const history = ref<string[]>(loadHistory())
  /** The input Python is running now; the rest wait in `queue`. */
  const current = ref<{ source: string; watch?: string }>()
  const queued = ref(0)
  const queue: QueuedRun[] = []

  /** The Step tab is recording a program (in the same worker, once the console input running now has ended). */
  const recording = ref(false)
  /**
   * Settle when that recording, and the console input running now, end. The worker runs one request
   * at a time, and Interrupt stops the one it runs: each side waits for the other's code here (console
   * input in `queue`, a recording in record()), not in the worker behind it, where an Interrupt meant
   * for the one waiting would stop the other's code instead.
   */
  let recordingEnded: Promise<void> | undefined
  let inputEnded: Promise<void> | undefined
  /** An interrupt has not stopped the running code: pressing Interrupt again restarts Python. */
  const interruptStalled = ref(false)
  const interruptLabel = computed(() => (interruptStalled.value ? 'Restart Python' : 'Interrupt'))
  /** An Interrupt button's title: what it does while code runs, until an interrupt has stalled. */
  function interruptTitle(whileRunning: string): string {
    return interruptStalled.value ? RESTART_AFTER_STALL_TITLE : whileRunning
  }

  const busy = computed(() => current.value !== undefined)
  /** The recording waits for the console input running now (no input starts while it is asked for). */
  const recordingWaits = computed(() => recording.value && busy.value)
  const recordingPhase = computed<RecordingPhase | undefined>(() => {
    if (!recording.value) return undefined
    if (recordingWaits.value) return 'waiting'
    return status.value === 'loading' ? 'loading' : 'recording'
  })
  /** The generator the running input watches has been resumed (its argument, if any, is evaluated). */
  const resumed = ref(false)
  /**
   * The generator a button is resuming right now: GEN_RUNNING once its frame runs, as
   * inspect.getgeneratorstate says; while `g.send(...)`'s argument is evaluated it is still suspended.
   */
  const runningGenerator = computed(() => (resumed.value ? current.value?.watch : undefined))
  const text = computed(() => transcriptText(transcript.value))
  const newest = computed(() =>
    inspectables.value.reduce<Inspectable | undefined>(
      (found, item) => (found === undefined || item.serial > found.serial ? item : found),
      undefined
    )
  )

  function note(message: string): void {
    appendEntry(transcript.value, 'notice', `${message}\n`)
  }

  function onEvent(event: PythonEvent): void {
    switch (event.type) {
      case 'progress':
        phase.value = event.phase
        break
      case 'ready':
        status.value = 'ready'
        failure.value = undefined
        readyInfo.value = {
          pythonVersion: event.pythonVersion,
          loadMs: event.loadMs,
          interruptible: event.interruptible,
          phases: event.phases
        }
        break
      case 'failed':
        status.value = 'failed'
        failure.value = event.message
        break
      case 'output':
        appendEntry(transcript.value, event.stream, event.text)
        break
      case 'resumed':
        resumed.value = true
        break
      case 'interruptStalled':
        interruptStalled.value = true
        note(
          `Python has not stopped ${event.graceMs / 1000} s after Interrupt: the code may be inside one long call, which ` +
            'cannot be interrupted until it returns, or it catches KeyboardInterrupt. It keeps running. ' +
            'Press Restart Python, or Ctrl+C again, to stop it: the names defined before would be gone.'
        )
        break
      case 'restarted':
        interruptStalled.value = false
        status.value = 'loading'
        phase.value = 'downloading'
        objects.value = []
        inspectables.value = []
        names.value = []
        selected.value = undefined
        pinned.value = false
        internals.value = undefined
        lastResume.value = undefined
        sessionInputs.value = []
        note(`Python restarted: ${event.reason} Names defined before are gone.`)
        break
    }
  }

  /** Uses this client instead of the app's Web Worker one (for Python hosted elsewhere). */
  function attach(replacement: PythonClient): void {
    client.value?.dispose()
    client.value = replacement
    status.value = 'idle'
    replacement.on(onEvent)
  }

  function ensureClient(): PythonClient {
    if (client.value === undefined) attach(createAppPythonClient())
    return client.value!
  }

  /** Loads Python on first use; safe to call again (e.g. to retry after a failure). */
  async function start(): Promise<void> {
    const python = ensureClient()
    if (status.value === 'ready' || status.value === 'loading') return
    status.value = 'loading'
    try {
      await python.start()
    } catch {
      // The 'failed' event has put the message on screen.
    }
  }

  function enqueue(source: string, watch?: string): Promise<RunOutcome | undefined> {
    return new Promise((done) => {
      queue.push({ source, watch, done })
      queued.value = queue.length
      void drain()
    })
  }

  let draining = false
  async function drain(): Promise<void> {
    if (draining) return
    draining = true
    try {
      void start()
      while (queue.length > 0) {
        while (recordingEnded !== undefined) await recordingEnded
        const next = queue.shift()
        if (next === undefined) break // dropped while waiting
        queued.value = queue.length
        next.done(await execute(next))
      }
    } finally {
      draining = false
    }
  }

  async function execute({ source, watch }: QueuedRun): Promise<RunOutcome | undefined> {
    const input = normalizeInput(source)
    current.value = { source: input, watch }
    resumed.value = false
    const { ended, end } = ending()
    inputEnded = ended
    appendEntry(transcript.value, 'input', promptedInput(input))
    try {
      const outcome = await ensureClient().run(input, watch)
      sessionInputs.value.push({
        source: input,
        status: outcome.status,
        linesInsideStrings: outcome.linesInsideStrings
      })
      triggerRef(sessionInputs)
      objects.value = outcome.objects
      inspectables.value = outcome.inspectables
      names.value = outcome.names
      if (outcome.resume !== null) lastResume.value = outcome.resume
      await refreshInternals()
      return outcome
    } catch (error) {
      // Cancelled while Python loaded, it never ran: said as such. A restart has already said why;
      // anything else is a failure of the console itself.
      if (error instanceof PythonInterruptedError) note(error.message)
      else if (!(error instanceof PythonRestartedError))
        note(`The console could not run this: ${error instanceof Error ? error.message : String(error)}`)
      return undefined
    } finally {
      current.value = undefined
      inputEnded = undefined
      end()
      interruptStalled.value = false
    }
  }

  /** Runs what the user typed (remembered in the history). */
  function submit(source: string): Promise<RunOutcome | undefined> {
    const input = normalizeInput(source)
    history.value = remember(history.value, input)
    saveHistory(history.value)
    return enqueue(input)
  }

  /** Runs an example's inputs one after another, each echoed as if typed. */
  async function runExample(example: ConsoleExample): Promise<void> {
    for (const input of example.inputs) {
      const outcome = await submit(input)
      if (outcome === undefined || outcome.status === 'interrupted') return
    }
  }

  /** A Live objects button: runs the Python line it stands for, watching that generator's frames. */
  function drive(name: string, action: DriveAction, argument?: string): Promise<RunOutcome | undefined> {
    const code = driveCode(name, action, argument)
    history.value = remember(history.value, code)
    saveHistory(history.value)
    return enqueue(code, name)
  }

  /**
   * Records a program for the Step tab, in a namespace of its own (the console's names are
   * untouched), once the console input running now has ended. interruptRecording() stops it (while
   * Python loads, by rejecting it with PythonInterruptedError); a restart rejects it with
   * PythonRestartedError.
   */
  async function record(source: string, limits: TraceLimits): Promise<Trace> {
    recording.value = true
    const { ended, end } = ending()
    recordingEnded = ended
    try {
      void start()
      while (inputEnded !== undefined) await inputEnded
      return await ensureClient().trace(source, limits)
    } finally {
      recording.value = false
      recordingEnded = undefined
      end()
      interruptStalled.value = false
    }
  }

  function isComplete(source: string): Promise<boolean> {
    return ensureClient().isComplete(source)
  }

  function dropQueue(): void {
    for (const waiting of queue.splice(0)) waiting.done(undefined)
    queued.value = 0
  }

  /** Ctrl+C: stops the running input and forgets the queued ones. */
  async function interrupt(): Promise<void> {
    dropQueue()
    if (client.value === undefined || !busy.value) return
    await client.value.interrupt()
  }

  /**
   * The Step tab's Interrupt: stops the recording once it runs. The console input it waits for,
   * and the inputs waiting for it, are the console's to stop.
   */
  async function interruptRecording(): Promise<void> {
    if (client.value === undefined || !recording.value || busy.value) return
    await client.value.interrupt()
  }

  async function restart(): Promise<void> {
    dropQueue()
    status.value = 'loading'
    try {
      await ensureClient().restart('you asked for a fresh interpreter.')
    } catch {
      // shown by the 'failed' event
    }
  }

  function clear(): void {
    transcript.value = []
  }

  /** The user picks what Internals shows; it stays there until that name is gone. */
  async function inspect(name: string | undefined): Promise<void> {
    selected.value = name
    pinned.value = name !== undefined
    await refreshInternals()
  }

  /** Internals goes back to showing the newest object, now and after each run. */
  async function followNewest(): Promise<void> {
    pinned.value = false
    await refreshInternals()
  }

  async function refreshInternals(): Promise<void> {
    if (!inspectables.value.some((item) => item.name === selected.value)) pinned.value = false
    if (!pinned.value) selected.value = newest.value?.name
    const name = selected.value
    if (name === undefined || client.value === undefined) {
      internals.value = undefined
      return
    }
    try {
      const report = await client.value.internals(name)
      if (selected.value === name) internals.value = report
    } catch (error) {
      if (!(error instanceof PythonRestartedError))
        internals.value = { name, error: error instanceof Error ? error.message : String(error) }
    }
  }

  return {
    status,
    phase,
    readyInfo,
    failure,
    transcript,
    text,
    objects,
    inspectables,
    selected,
    pinned,
    newest,
    names,
    internals,
    lastResume,
    history,
    sessionInputs,
    current,
    queued,
    busy,
    recording,
    recordingWaits,
    recordingPhase,
    interruptStalled,
    interruptLabel,
    interruptTitle,
    runningGenerator,
    attach,
    start,
    submit,
    runExample,
    drive,
    record,
    isComplete,
    interrupt,
    interruptRecording,
    restart,
    clear,
    inspect,
    followNewest
  }
})
