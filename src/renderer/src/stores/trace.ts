/**
 * The Step tab's state: the program in the editor, its recorded trace (recorded by Python in the
 * console's worker, or imported from a file), the step shown, and what went wrong, if anything.
 */
import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import { describeError } from '@renderer/ipc/client'
import { PythonInterruptedError, PythonRestartedError } from '@renderer/python/client'
import type { TraceLimits } from '@renderer/python/protocol'
import { useJobsStore } from '@renderer/stores/jobs'
import { usePythonStore } from '@renderer/stores/python'
import { objectPlaces, type ObjectPlaces } from '@renderer/trace/diagramLayout'
import { nextSuspension, outputUpTo, previousSuspension } from '@renderer/trace/traceSteps'
import { fileLabel } from '@shared/paths'
import { parseTraceJson, type Trace } from '@shared/trace'

export const DEFAULT_TRACE_LIMITS: TraceLimits = { maxSteps: 10_000, maxSeconds: 10 }

export type TraceStatus = 'empty' | 'recording' | 'ready'

/**
 * Why a trace has no steps: Python refused the program (its syntax error is the trace's error), the
 * recording stopped before the program's first line (interrupted: the note says so), or neither
 * (a trace file holding no steps).
 */
export type NotRunReason = 'refused' | 'stopped' | 'empty'

export const useTraceStore = defineStore('trace', () => {
  const python = usePythonStore()
  const source = ref('')
  /** Held shallow and raw: a trace of 10,000 steps must not be made deeply reactive. */
  const trace = shallowRef<Trace>()
  const places = shallowRef<ObjectPlaces>()
  /** Where the trace came from: 'recorded', or the imported file's name. */
  const origin = ref<string>()
  const index = ref(0)
  const recording = ref(false)
  /** Why the last recording or import failed, shown until the next one. */
  const problem = ref<string>()
  /** The source the trace was recorded from, to tell when the editor has moved on. */
  const recordedSource = ref<string>()

  const status = computed<TraceStatus>(() =>
    recording.value ? 'recording' : trace.value === undefined ? 'empty' : 'ready'
  )
  const stepCount = computed(() => trace.value?.steps.length ?? 0)
  const step = computed(() => trace.value?.steps[index.value])
  const previousLine = computed(() => {
    if (index.value === 0) return undefined
    const before = trace.value?.steps[index.value - 1]
    return before === undefined || before.line === step.value?.line ? undefined : before.line
  })
  const output = computed(() =>
    trace.value === undefined || step.value === undefined
      ? ''
      : outputUpTo(trace.value.stdout, step.value.stdout_length)
  )
  const atLast = computed(() => stepCount.value > 0 && index.value === stepCount.value - 1)
  /** The program's uncaught exception is shown at its last step, or at once if it never ran (a syntax error). */
  const errorShown = computed(() =>
    trace.value?.error != null && (atLast.value || stepCount.value === 0) ? trace.value.error : undefined
  )
  /** What the counter and the diagram both say instead of a step; undefined with steps, or no trace. */
  const notRun = computed<NotRunReason | undefined>(() => {
    const shown = trace.value
    if (shown === undefined || shown.steps.length > 0) return undefined
    if (shown.truncated) return 'stopped'
    return shown.error === null ? 'empty' : 'refused'
  })
  const edited = computed(
    () => trace.value !== undefined && recordedSource.value !== undefined && source.value !== recordedSource.value
  )

  function show(next: Trace, from: string): void {
    trace.value = markRaw(next)
    places.value = markRaw(objectPlaces(next))
    origin.value = from
    recordedSource.value = next.source
    source.value = next.source
    index.value = 0
    problem.value = undefined
  }

  function setSource(text: string): void {
    source.value = text
  }

  /** Records the editor's program; the trace replaces the one shown once it is complete. */
  async function record(limits: TraceLimits = DEFAULT_TRACE_LIMITS): Promise<void> {
    if (recording.value) return
    recording.value = true
    problem.value = undefined
    try {
      show(await python.record(source.value, limits), 'recorded')
    } catch (error) {
      problem.value =
        error instanceof PythonRestartedError
          ? `The recording was stopped: ${error.message}`
          : error instanceof PythonInterruptedError
            ? error.message
            : `The program could not be recorded: ${describeError(error)}`
    } finally {
      recording.value = false
    }
  }

  /** Opens a program (an example, or the console's inputs) and records it. */
  async function open(program: string): Promise<void> {
    source.value = program
    await record()
  }

  function interrupt(): Promise<void> {
    return python.interruptRecording()
  }

  /** Reads an exported trace; a file that is not one is refused with the reason, and the shown trace stays. */
  function importText(text: string, fileName: string): boolean {
    try {
      show(parseTraceJson(text), fileName)
      return true
    } catch (error) {
      problem.value = `${fileName} could not be opened: ${describeError(error)}`
      return false
    }
  }

  /** Import…: the file is chosen in main's dialog and read in main (jobs.importFile); the shown trace stays if it is no trace. */
  async function importFile(): Promise<boolean> {
    let opened
    try {
      opened = await useJobsStore().importFile('trace', 'Open a trace exported from Step')
    } catch (error) {
      problem.value = `The file could not be opened: ${describeError(error)}`
      return false
    }
    return opened !== undefined && importText(opened.text, fileLabel(opened.path))
  }

  function exportJson(): string {
    if (trace.value === undefined) throw new Error('There is no trace to export.')
    return JSON.stringify(trace.value)
  }

  function goTo(target: number): void {
    if (stepCount.value === 0) return
    index.value = Math.min(Math.max(Math.round(target), 0), stepCount.value - 1)
  }
  const first = () => goTo(0)
  const last = () => goTo(stepCount.value - 1)
  const forward = () => goTo(index.value + 1)
  const back = () => goTo(index.value - 1)
  /** To the next yield or resume: where a generator's frame leaves the stack or comes back. */
  function toNextSuspension(): void {
    if (trace.value === undefined) return
    const at = nextSuspension(trace.value, index.value)
    if (at >= 0) goTo(at)
  }
  function toPreviousSuspension(): void {
    if (trace.value === undefined) return
    const at = previousSuspension(trace.value, index.value)
    if (at >= 0) goTo(at)
  }

  return {
    source,
    trace,
    places,
    origin,
    index,
    problem,
    status,
    stepCount,
    step,
    previousLine,
    output,
    atLast,
    errorShown,
    notRun,
    edited,
    setSource,
    record,
    open,
    interrupt,
    importText,
    importFile,
    exportJson,
    goTo,
    first,
    last,
    forward,
    back,
    toNextSuspension,
    toPreviousSuspension
  }
})
