/**
 * Hand-written `yield-lab-trace/1` traces for the Step tab's tests, built step by step as the
 * recorder describes the programs below (docs/trace-format.md), and a long synthetic one.
 */
import type { GeneratorState, HeapObject, Trace, TraceStep, TraceValue } from '../../src/shared/trace'

const int = (n: number): TraceValue => ({ kind: 'int', repr: String(n) })
const ref = (id: string): TraceValue => ({ kind: 'ref', id })
const none: TraceValue = { kind: 'none', repr: 'None' }

const gen107Function: HeapObject = {
  type: 'function',
  type_name: 'function',
  items: [],
  hidden: 0,
  repr: '<function gen_107>'
}

function generatorObject(
  state: GeneratorState,
  frame: string | null,
  yieldfrom: string | null = null,
  name = 'gen_107'
): HeapObject {
  return {
    type: 'generator',
    type_name: 'generator',
    items: [],
    hidden: 0,
    repr: `<generator object ${name}>`,
    state,
    frame,
    yieldfrom,
    function: name
  }
}

export const GEN_107_PROGRAM = `def gen_107():
    yield 1
    yield 0
    yield 7

g = gen_107()
print(next(g))
print(list(g))
`

function step(partial: Partial<TraceStep> & Pick<TraceStep, 'event' | 'line' | 'function'>): TraceStep {
  return { stack: [], suspended: [], heap: {}, value: null, sent: null, stdout_length: 0, ...partial }
}

/** gen_107 stepped: created, started by next(), suspended at each yield while <module> runs, closed by list(). */
export function gen107Trace(): Trace {
  const module = (line: number, locals: Record<string, TraceValue>) => ({
    id: 'f1',
    function: '<module>',
    line,
    locals,
    generator: null
  })
  const generatorFrame = (line: number) => ({ id: 'f2', function: 'gen_107', line, locals: {}, generator: 'o2' })
  const globals = { gen_107: ref('o1'), g: ref('o2') }
  const heapWith = (generator: HeapObject, extra: Record<string, HeapObject> = {}) => ({
    o1: gen107Function,
    o2: generator,
    ...extra
  })
  const suspendedAt = (line: number) => [{ id: 'f2', generator: 'o2', function: 'gen_107', line, locals: {} }]
  const steps: TraceStep[] = [
    step({ event: 'line', line: 1, function: '<module>', stack: [module(1, {})] }),
    step({
      event: 'line',
      line: 6,
      function: '<module>',
      stack: [module(6, { gen_107: ref('o1') })],
      heap: { o1: gen107Function }
    }),
    step({
      event: 'line',
      line: 7,
      function: '<module>',
      stack: [module(7, globals)],
      heap: heapWith(generatorObject('GEN_CREATED', null))
    }),
    step({
      event: 'call',
      line: 1,
      function: 'gen_107',
      stack: [module(7, globals), generatorFrame(1)],
      heap: heapWith(generatorObject('GEN_RUNNING', 'f2'))
    }),
    step({
      event: 'line',
      line: 2,
      function: 'gen_107',
      stack: [module(7, globals), generatorFrame(2)],
      heap: heapWith(generatorObject('GEN_RUNNING', 'f2'))
    }),
    step({
      event: 'yield',
      line: 2,
      function: 'gen_107',
      stack: [module(7, globals), generatorFrame(2)],
      heap: heapWith(generatorObject('GEN_RUNNING', 'f2')),
      value: int(1)
    }),
    step({
      event: 'line',
      line: 8,
      function: '<module>',
      stack: [module(8, globals)],
      suspended: suspendedAt(2),
      heap: heapWith(generatorObject('GEN_SUSPENDED', 'f2')),
      stdout_length: 2
    }),
    step({
      event: 'resume',
      line: 2,
      function: 'gen_107',
      stack: [module(8, globals), generatorFrame(2)],
      heap: heapWith(generatorObject('GEN_RUNNING', 'f2')),
      sent: none,
      stdout_length: 2
    }),
    step({
      event: 'line',
      line: 3,
      function: 'gen_107',
      stack: [module(8, globals), generatorFrame(3)],
      heap: heapWith(generatorObject('GEN_RUNNING', 'f2')),
      stdout_length: 2
    }),
    step({
      event: 'yield',
      line: 3,
      function: 'gen_107',
      stack: [module(8, globals), generatorFrame(3)],
      heap: heapWith(generatorObject('GEN_RUNNING', 'f2')),
      value: int(0),
      stdout_length: 2
    }),
    step({
      event: 'resume',
      line: 3,
      function: 'gen_107',
      stack: [module(8, globals), generatorFrame(3)],
      heap: heapWith(generatorObject('GEN_RUNNING', 'f2')),
      stdout_length: 2
    }),
    step({
      event: 'line',
      line: 4,
      function: 'gen_107',
      stack: [module(8, globals), generatorFrame(4)],
      heap: heapWith(generatorObject('GEN_RUNNING', 'f2')),
      stdout_length: 2
    }),
    step({
      event: 'yield',
      line: 4,
      function: 'gen_107',
      stack: [module(8, globals), generatorFrame(4)],
      heap: heapWith(generatorObject('GEN_RUNNING', 'f2')),
      value: int(7),
      stdout_length: 2
    }),
    step({
      event: 'resume',
      line: 4,
      function: 'gen_107',
      stack: [module(8, globals), generatorFrame(4)],
      heap: heapWith(generatorObject('GEN_RUNNING', 'f2')),
      stdout_length: 2
    }),
    step({
      event: 'return',
      line: 4,
      function: 'gen_107',
      stack: [module(8, globals), generatorFrame(4)],
      heap: heapWith(generatorObject('GEN_RUNNING', 'f2')),
      value: none,
      stdout_length: 2
    }),
    step({
      event: 'return',
      line: 8,
      function: '<module>',
      stack: [module(8, globals)],
      heap: heapWith(generatorObject('GEN_CLOSED', null)),
      value: none,
      stdout_length: 9
    })
  ]
  return {
    format: 'yield-lab-trace/1',
    python: '3.14.0',
    source: GEN_107_PROGRAM,
    steps,
    stdout: '1\n[0, 7]\n',
    truncated: false,
    note: null,
    error: null
  }
}

export const DELEGATE_PROGRAM = `def inner():
    yield 1
    return 'done'

def outer():
    result = yield from inner()
    raise ValueError(result)

o = outer()
items = [next(o)]
next(o)
`

/** outer() delegating to inner() with yield from, a list holding the yielded value, then an error. */
export function delegateTrace(): Trace {
  const globals = { o: ref('o1'), items: ref('o3') }
  const heap = (outerState: GeneratorState, innerState: GeneratorState) => ({
    o1: generatorObject(
      outerState,
      outerState === 'GEN_CLOSED' ? null : 'f2',
      innerState === 'GEN_CLOSED' ? null : 'o2',
      'outer'
    ),
    o2: generatorObject(innerState, innerState === 'GEN_CLOSED' ? null : 'f3', null, 'inner'),
    o3: { type: 'list', type_name: 'list', items: [int(1)], hidden: 0, repr: '[1]' } satisfies HeapObject
  })
  const module = { id: 'f1', function: '<module>', line: 11, locals: globals, generator: null }
  const steps: TraceStep[] = [
    step({
      event: 'line',
      line: 11,
      function: '<module>',
      stack: [module],
      suspended: [
        { id: 'f2', generator: 'o1', function: 'outer', line: 6, locals: {} },
        { id: 'f3', generator: 'o2', function: 'inner', line: 2, locals: {} }
      ],
      heap: heap('GEN_SUSPENDED', 'GEN_SUSPENDED')
    }),
    step({
      event: 'exception',
      line: 7,
      function: 'outer',
      stack: [
        module,
        { id: 'f2', function: 'outer', line: 7, locals: { result: { kind: 'str', repr: "'done'" } }, generator: 'o1' }
      ],
      heap: heap('GEN_RUNNING', 'GEN_CLOSED')
    })
  ]
  return {
    format: 'yield-lab-trace/1',
    python: '3.14.0',
    source: DELEGATE_PROGRAM,
    steps,
    stdout: '',
    truncated: false,
    note: null,
    error: {
      type: 'ValueError',
      message: 'done',
      traceback:
        'Traceback (most recent call last):\n  File "<program>", line 11, in <module>\n  File "<program>", line 7, in outer\nValueError: done\n'
    }
  }
}

/**
 * A long trace like an infinite counter's: a generator yielding n while <module> appends to a
 * list, `steps` steps in all, truncated at the cap.
 */
export function countingTrace(steps: number): Trace {
  const result: TraceStep[] = []
  const events = ['resume', 'line', 'yield', 'line'] as const
  for (let index = 0; index < steps; index++) {
    const n = Math.floor(index / events.length)
    const event = events[index % events.length]!
    const inGenerator = event !== 'line' || index % events.length === 1
    const kept = Math.min(n, 8)
    const list: HeapObject = {
      type: 'list',
      type_name: 'list',
      items: Array.from({ length: kept }, (_, i) => int(n - kept + i)),
      hidden: n - kept,
      repr: `[…]`
    }
    const module = {
      id: 'f1',
      function: '<module>',
      line: 6,
      locals: { c: ref('o1'), seen: ref('o2') },
      generator: null
    }
    const frame = { id: 'f2', function: 'count', line: 3, locals: { n: int(n) }, generator: 'o1' }
    result.push({
      event,
      line: inGenerator ? 3 : 6,
      function: inGenerator ? 'count' : '<module>',
      stack: inGenerator ? [module, frame] : [module],
      suspended: inGenerator ? [] : [{ id: 'f2', generator: 'o1', function: 'count', line: 3, locals: { n: int(n) } }],
      heap: { o1: generatorObject(inGenerator ? 'GEN_RUNNING' : 'GEN_SUSPENDED', 'f2', null, 'count'), o2: list },
      value: event === 'yield' ? int(n) : null,
      sent: null,
      stdout_length: 0
    })
  }
  return {
    format: 'yield-lab-trace/1',
    python: '3.14.0',
    source:
      'def count():\n    n = 0\n    while True:\n        yield n\n        n += 1\n\nc = count()\nseen = []\nfor x in c:\n    seen.append(x)\n',
    steps: result,
    stdout: '',
    truncated: true,
    note: `Stopped after ${steps} steps (the step cap).`,
    error: null
  }
}
