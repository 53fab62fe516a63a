/**
 * A recorded run of a Python program, step by step (`yield-lab-trace/1`, docs/trace-format.md):
 * what trace_recorder.py writes and the Step tab draws. Imported traces are checked here in full,
 * so the tab never draws from a reference that leads nowhere.
 */
import * as v from 'valibot'
import { LabError } from './errors'

export const TRACE_FORMAT = 'yield-lab-trace/1'

/** A trace file larger than this is refused before parsing (10,000 steps of a lecture example are far below). */
export const MAX_TRACE_JSON_CHARS = 200_000_000

export const traceEvents = ['call', 'line', 'return', 'yield', 'resume', 'exception'] as const
export type TraceEvent = (typeof traceEvents)[number]

export const generatorStates = ['GEN_CREATED', 'GEN_RUNNING', 'GEN_SUSPENDED', 'GEN_CLOSED'] as const

/** Object and frame ids are strings (JSON object keys); a number is accepted and read as its string. */
const idSchema = v.pipe(v.union([v.string(), v.number()]), v.transform(String))
const nameSchema = v.pipe(v.string(), v.maxLength(10_000))
const lineSchema = v.pipe(v.number(), v.integer(), v.minValue(0))

const primitiveSchema = v.strictObject({
  kind: v.picklist(['int', 'float', 'str', 'bool', 'none']),
  repr: v.string()
})
const refSchema = v.strictObject({ kind: v.literal('ref'), id: idSchema })
export const valueSchema = v.variant('kind', [primitiveSchema, refSchema])
export type TraceValue = v.InferOutput<typeof valueSchema>
export type TraceRef = v.InferOutput<typeof refSchema>

const localsSchema = v.record(v.string(), valueSchema)

const heapObjectSchema = v.object({
  type: v.picklist(['list', 'tuple', 'dict', 'set', 'instance', 'function', 'generator', 'other']),
  type_name: nameSchema,
  items: v.array(valueSchema),
  entries: v.optional(v.array(v.tuple([valueSchema, valueSchema]))),
  /** How many items or entries were cut ("… N more"). */
  hidden: v.pipe(v.number(), v.integer(), v.minValue(0)),
  repr: v.string(),
  state: v.optional(v.picklist(generatorStates)),
  frame: v.optional(v.nullable(idSchema)),
  yieldfrom: v.optional(v.nullable(idSchema)),
  function: v.optional(v.nullable(nameSchema))
})
export type HeapObject = v.InferOutput<typeof heapObjectSchema>

const frameSchema = v.object({
  id: idSchema,
  function: nameSchema,
  line: lineSchema,
  locals: localsSchema,
  /** The generator object this frame belongs to, for a generator's frame. */
  generator: v.nullable(idSchema)
})
export type TraceFrame = v.InferOutput<typeof frameSchema>

const suspendedSchema = v.object({
  id: idSchema,
  generator: idSchema,
  function: nameSchema,
  line: lineSchema,
  locals: localsSchema
})
export type SuspendedFrame = v.InferOutput<typeof suspendedSchema>

const stepSchema = v.object({
  event: v.picklist(traceEvents),
  line: lineSchema,
  function: nameSchema,
  /** The running frames, outermost first. */
  stack: v.array(frameSchema),
  suspended: v.array(suspendedSchema),
  heap: v.record(v.string(), heapObjectSchema),
  /** The value yielded or returned, for `yield` and `return` events. */
  value: v.nullable(valueSchema),
  /** The value sent into a generator, for `resume` events where the runtime exposes it. */
  sent: v.optional(v.nullable(valueSchema), null),
  stdout_length: v.pipe(v.number(), v.integer(), v.minValue(0))
})
export type TraceStep = v.InferOutput<typeof stepSchema>

const errorSchema = v.object({ type: nameSchema, message: v.string(), traceback: v.string() })
export type TraceError = v.InferOutput<typeof errorSchema>

export const traceSchema = v.object({
  format: v.literal(TRACE_FORMAT),
  python: v.string(),
  source: v.string(),
  steps: v.array(stepSchema),
  stdout: v.string(),
  truncated: v.boolean(),
  note: v.optional(v.nullable(v.string()), null),
  error: v.nullable(errorSchema)
})
export type Trace = v.InferOutput<typeof traceSchema>

function refsIn(value: TraceValue | null | undefined, into: string[]): void {
  if (value?.kind === 'ref') into.push(value.id)
}

/** The ids a step names but does not hold in its heap, so a diagram would have nothing to point at. */
function danglingRefs(step: TraceStep): string[] {
  const named: string[] = []
  for (const frame of [...step.stack, ...step.suspended]) {
    for (const value of Object.values(frame.locals)) refsIn(value, named)
  }
  refsIn(step.value, named)
  refsIn(step.sent, named)
  for (const object of Object.values(step.heap)) {
    for (const item of object.items) refsIn(item, named)
    for (const [key, value] of object.entries ?? []) {
      refsIn(key, named)
      refsIn(value, named)
    }
    if (object.yieldfrom != null) named.push(object.yieldfrom)
  }
  for (const frame of step.suspended) named.push(frame.generator)
  return named.filter((id) => !(id in step.heap))
}

function problemOf(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0]!
  const path = first.path?.map((item) => String(item.key)).join('.')
  return path ? `${path}: ${first.message}` : first.message
}

/**
 * Reads a trace from its JSON text, checked in full; a clear LabError (MALFORMED_DATA, TOO_LARGE)
 * says what is wrong and where.
 */
export function parseTrace(json: string): Trace {
  if (json.length > MAX_TRACE_JSON_CHARS)
    throw new LabError(
      'TOO_LARGE',
      `This trace is ${json.length} characters; at most ${MAX_TRACE_JSON_CHARS} are read.`
    )
  let data: unknown
  try {
    data = JSON.parse(json)
  } catch (error) {
    throw new LabError('MALFORMED_DATA', `This is not JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new LabError('MALFORMED_DATA', 'This is not a Yield Lab trace: expected a JSON object.')
  const format = (data as { format?: unknown }).format
  if (format !== TRACE_FORMAT)
    throw new LabError(
      'MALFORMED_DATA',
      format === undefined
        ? `This is not a Yield Lab trace: it has no "format" (expected "${TRACE_FORMAT}").`
        : `This trace's format is ${JSON.stringify(format)}; this version of Yield Lab reads "${TRACE_FORMAT}".`
    )
  const result = v.safeParse(traceSchema, data)
  if (!result.success) throw new LabError('MALFORMED_DATA', `This trace is damaged: ${problemOf(result.issues)}.`)
  const trace = result.output
  trace.steps.forEach((step, index) => {
    const dangling = danglingRefs(step)
    if (dangling.length > 0)
      throw new LabError(
        'MALFORMED_DATA',
        `This trace is damaged: step ${index + 1} refers to object ${dangling[0]}, which is not in its heap.`
      )
    if (step.stdout_length > trace.stdout.length)
      throw new LabError(
        'MALFORMED_DATA',
        `This trace is damaged: step ${index + 1} has ${step.stdout_length} characters of output, the whole run ${trace.stdout.length}.`
      )
  })
  return trace
}
