/**
 * The trace of a program run step by step (format `yield-lab-trace/1`, docs/trace-format.md): what
 * the recorder (src/renderer/src/python/trace_recorder.py) writes, the Step tab shows and imports,
 * and `npm run trace` prints. The schema checks the shape and that the trace agrees with itself:
 * every object a step refers to is in that step's heap, every frame a generator names is drawn.
 */
import { whyNotJson } from './jsonText'
import * as v from 'valibot'
import { LabError } from './errors'

export const TRACE_FORMAT = 'yield-lab-trace/1'

/** A file larger than this is not read as a trace (10,000 steps of a lecture example are far below). */
export const MAX_TRACE_FILE_BYTES = 256 * 1024 * 1024

/** What happened at a step; `yield` is a suspension (the frame lives on), `return` the frame's end. */
export const traceEvents = ['call', 'line', 'return', 'yield', 'resume', 'exception'] as const
export type TraceEvent = (typeof traceEvents)[number]

export const primitiveKinds = ['int', 'float', 'str', 'bool', 'none'] as const
export type PrimitiveKind = (typeof primitiveKinds)[number]

export const heapObjectTypes = ['list', 'tuple', 'dict', 'set', 'instance', 'function', 'generator', 'other'] as const
export type HeapObjectType = (typeof heapObjectTypes)[number]

export const generatorStates = ['GEN_CREATED', 'GEN_RUNNING', 'GEN_SUSPENDED', 'GEN_CLOSED'] as const
export type GeneratorState = (typeof generatorStates)[number]

const objectIdSchema = v.pipe(v.string(), v.regex(/^o[1-9]\d*$/, 'an object id is o followed by a number'))
const frameIdSchema = v.pipe(v.string(), v.regex(/^f[1-9]\d*$/, 'a frame id is f followed by a number'))
const countSchema = v.pipe(v.number(), v.integer(), v.minValue(0))
const lineSchema = v.pipe(v.number(), v.integer(), v.minValue(0))

/** A value as a name or an item holds it: primitives inline, everything else a reference into the heap. */
const valueSchema = v.variant('kind', [
  v.strictObject({ kind: v.picklist(primitiveKinds), repr: v.string() }),
  v.strictObject({ kind: v.literal('ref'), id: objectIdSchema })
])
export type TraceValue = v.InferOutput<typeof valueSchema>
export type TraceRef = Extract<TraceValue, { kind: 'ref' }>

const entriesSchema = v.array(v.tuple([valueSchema, valueSchema]))
const commonObject = {
  type_name: v.string(),
  items: v.array(valueSchema),
  /** How many items (or entries) were cut off: shown as "… N more". */
  hidden: countSchema,
  /** Bounded; objects without a safe repr are shown by their type. */
  repr: v.string()
}

const heapObjectSchema = v.variant('type', [
  v.strictObject({ type: v.picklist(['list', 'tuple', 'set', 'function', 'other']), ...commonObject }),
  /** A dict's entries, or an instance's attributes (name → value). */
  v.strictObject({ type: v.picklist(['dict', 'instance']), ...commonObject, entries: entriesSchema }),
  v.strictObject({
    type: v.literal('generator'),
    ...commonObject,
    state: v.picklist(generatorStates),
    /** Its frame while it has one (created, suspended or running), for generators of the program. */
    frame: v.nullable(frameIdSchema),
    /** While it is suspended in a `yield from`: what it delegates to. */
    yieldfrom: v.nullable(objectIdSchema),
    function: v.string()
  })
])
export type HeapObject = v.InferOutput<typeof heapObjectSchema>
export type GeneratorObject = Extract<HeapObject, { type: 'generator' }>

const frameEntries = {
  id: frameIdSchema,
  function: v.string(),
  line: lineSchema,
  locals: v.record(v.string(), valueSchema)
}
/** A frame on the running stack; `generator` is the generator it belongs to, if any. */
const stackFrameSchema = v.strictObject({ ...frameEntries, generator: v.nullable(objectIdSchema) })
/** A generator's frame off the stack: suspended at a yield, or created and not yet started. */
const suspendedFrameSchema = v.strictObject({ ...frameEntries, generator: objectIdSchema })
export type StackFrame = v.InferOutput<typeof stackFrameSchema>
export type SuspendedFrame = v.InferOutput<typeof suspendedFrameSchema>

const stepSchema = v.strictObject({
  event: v.picklist(traceEvents),
  line: lineSchema,
  function: v.string(),
  /** Outermost first: the current frame is last. */
  stack: v.array(stackFrameSchema),
  suspended: v.array(suspendedFrameSchema),
  heap: v.record(objectIdSchema, heapObjectSchema),
  /** Yielded or returned value (null when a frame ends by an exception), or the exception raised. */
  value: v.nullable(valueSchema),
  /** At a resume, the value sent in, when the runtime shows it (`x = yield` stores it). */
  sent: v.nullable(valueSchema),
  /** How many characters of `stdout` the program had printed by this step. */
  stdout_length: countSchema
})
export type TraceStep = v.InferOutput<typeof stepSchema>

const traceErrorSchema = v.strictObject({ type: v.string(), message: v.string(), traceback: v.string() })
export type TraceError = v.InferOutput<typeof traceErrorSchema>

const traceObject = v.strictObject({
  format: v.literal(TRACE_FORMAT),
  python: v.string(),
  source: v.string(),
  steps: v.array(stepSchema),
  stdout: v.string(),
  /** The recording stopped at a limit (steps, time) or was interrupted; `note` says which. */
  truncated: v.boolean(),
  note: v.nullable(v.string()),
  /** What the program raised and did not catch, or a syntax error (then there are no steps). */
  error: v.nullable(traceErrorSchema)
})
export type Trace = v.InferOutput<typeof traceObject>

function valuesOf(step: TraceStep): TraceValue[] {
  const values: TraceValue[] = []
  for (const frame of [...step.stack, ...step.suspended]) values.push(...Object.values(frame.locals))
  for (const object of Object.values(step.heap)) {
    values.push(...object.items)
    if ('entries' in object) for (const [key, item] of object.entries) values.push(key, item)
  }
  if (step.value !== null) values.push(step.value)
  if (step.sent !== null) values.push(step.sent)
  return values
}

/** What makes a trace disagree with itself (at most a few, in step order). */
export function traceProblems(trace: Trace): string[] {
  const problems: string[] = []
  let previousLength = 0
  // The recorder follows only the program's own code, so every line is one of its source's.
  const lastLine = trace.source.split(/\r\n|\r|\n/).length
  trace.steps.forEach((step, index) => {
    if (problems.length >= 5) return
    const at = `step ${index + 1}`
    const pastLast = [step.line, ...[...step.stack, ...step.suspended].map((frame) => frame.line)].find(
      (line) => line > lastLine
    )
    if (pastLast !== undefined)
      problems.push(`${at} is at line ${pastLast}, past the program's last line (${lastLine})`)
    for (const value of valuesOf(step)) {
      if (value.kind === 'ref' && !(value.id in step.heap)) {
        problems.push(`${at} refers to object ${value.id}, which is not in its heap`)
        break
      }
    }
    const frames = new Set([...step.stack, ...step.suspended].map((frame) => frame.id))
    if (frames.size !== step.stack.length + step.suspended.length) problems.push(`${at} draws a frame twice`)
    for (const [id, object] of Object.entries(step.heap)) {
      if (object.type !== 'generator') continue
      if (object.frame !== null && !frames.has(object.frame))
        problems.push(`${at}: generator ${id} has frame ${object.frame}, which is neither running nor suspended`)
      if (object.yieldfrom !== null && !(object.yieldfrom in step.heap))
        problems.push(`${at}: generator ${id} delegates to ${object.yieldfrom}, which is not in its heap`)
    }
    for (const frame of step.suspended) {
      if (!(frame.generator in step.heap)) problems.push(`${at}: suspended frame ${frame.id} has no generator object`)
    }
    if (step.stdout_length < previousLength || step.stdout_length > trace.stdout.length)
      problems.push(`${at}: stdout_length ${step.stdout_length} is out of order or past the end of stdout`)
    previousLength = step.stdout_length
  })
  return problems.slice(0, 5)
}

export const traceSchema = v.pipe(
  traceObject,
  v.rawCheck<Trace>(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    for (const problem of traceProblems(dataset.value)) addIssue({ message: problem })
  })
)

/** A trace from parsed JSON (an import, the recorder's output), or a LabError saying plainly what is wrong. */
export function parseTrace(json: unknown): Trace {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new LabError('MALFORMED_DATA', 'This is not a Yield Lab trace: a trace is a JSON object.')
  const format = (json as { format?: unknown }).format
  if (format !== TRACE_FORMAT) {
    throw new LabError(
      'MALFORMED_DATA',
      typeof format === 'string' && format.startsWith('yield-lab-trace/')
        ? `This trace is in format ${format}; this version of Yield Lab reads ${TRACE_FORMAT}.`
        : `This is not a Yield Lab trace: its "format" is not ${TRACE_FORMAT}.`
    )
  }
  const parsed = v.safeParse(traceSchema, json)
  if (parsed.success) return parsed.output
  const problems = parsed.issues.slice(0, 3).map((issue) => {
    const path = issue.path?.map((item) => String(item.key)).join('.')
    return path ? `${path}: ${issue.message}` : issue.message
  })
  throw new LabError('MALFORMED_DATA', `This Yield Lab trace is damaged: ${problems.join('; ')}.`)
}

/** parseTrace() of JSON text. */
export function parseTraceJson(text: string): Trace {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new LabError('MALFORMED_DATA', `This is not a Yield Lab trace: ${whyNotJson(text, error)}.`)
  }
  return parseTrace(json)
}
