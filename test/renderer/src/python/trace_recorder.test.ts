/**
 * The trace recorder on the lecture's examples and the corners of the generator protocol, step by
 * step, on both of its runtimes: CPython (the system python3, 3.11 here) and Pyodide (3.14) in
 * Node, loaded by the worker's host as the app loads it. The same assertions run on both, and the
 * two traces of each program are compared with each other. Every trace goes through the shared
 * schema (parseTrace), and its stdout is compared with running the program plainly with python3.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import type { GeneratorObject, Trace, TraceStep, TraceValue } from '@shared/trace'
import { coroutineExample } from '../../../support/lecture'
import {
  cpythonRecorder,
  plainStdout,
  pyodideRecorder,
  type RecordOptions,
  type TraceRecorder
} from '../../../support/traceRecorders'
import { INFINITE, traceProgram, tracePrograms } from '../../../support/tracePrograms'

let pyodide: TraceRecorder
const cpython = cpythonRecorder()

beforeAll(async () => {
  pyodide = await pyodideRecorder()
})

const recorders: { runtime: string; get: () => TraceRecorder }[] = [
  { runtime: 'CPython', get: () => cpython },
  { runtime: 'Pyodide', get: () => pyodide }
]

/** Each step as "event function line". */
function outline(trace: Trace): string[] {
  return trace.steps.map((step) => `${step.event} ${step.function} ${step.line}`)
}

function reprOf(value: TraceValue | null): string | null {
  return value === null ? null : value.kind === 'ref' ? `ref ${value.id}` : value.repr
}

/** The object a name refers to in the module frame at this step. */
function globalRef(step: TraceStep, name: string): string {
  const value = step.stack[0]?.locals[name]
  if (value?.kind !== 'ref') throw new Error(`${name} is not an object at this step`)
  return value.id
}

function generatorAt(step: TraceStep, id: string): GeneratorObject | undefined {
  const object = step.heap[id]
  if (object === undefined) return undefined
  if (object.type !== 'generator') throw new Error(`${id} is a ${object.type}, not a generator`)
  return object
}

/** The generator's states over the steps, each change once (running left out: it is between the others). */
function stateChanges(trace: Trace, id: string): string[] {
  const states: string[] = []
  for (const step of trace.steps) {
    const state = generatorAt(step, id)?.state
    if (state !== undefined && state !== 'GEN_RUNNING' && states.at(-1) !== state) states.push(state)
  }
  return states
}

function yielded(trace: Trace): (string | null)[] {
  return trace.steps.filter((step) => step.event === 'yield').map((step) => reprOf(step.value))
}

function stepsOf(trace: Trace, event: string, functionName?: string): TraceStep[] {
  return trace.steps.filter(
    (step) => step.event === event && (functionName === undefined || step.function === functionName)
  )
}

describe.each(recorders)('the trace recorder on $runtime', ({ runtime, get }) => {
  const record = (source: string, options?: RecordOptions): Trace => get().record(source, options)

  test('gen_107: each step, the states CREATED → SUSPENDED → CLOSED, and the suspended frame', () => {
    const trace = record(traceProgram('gen_107').source)
    expect(outline(trace)).toEqual([
      'call <module> 0',
      'line <module> 1',
      'line <module> 3',
      'line <module> 9',
      'line <module> 10',
      'line <module> 11',
      'call gen_107 3',
      'line gen_107 5',
      'yield gen_107 5',
      'line <module> 12',
      'line <module> 13',
      'resume gen_107 5',
      'line gen_107 6',
      'yield gen_107 6',
      'resume gen_107 6',
      'line gen_107 7',
      'yield gen_107 7',
      'resume gen_107 7',
      'return gen_107 7',
      'line <module> 14',
      'return <module> 14'
    ])
    expect(yielded(trace)).toEqual(['1', '0', '7'])
    const g = globalRef(trace.steps[4]!, 'g')
    expect(stateChanges(trace, g)).toEqual(['GEN_CREATED', 'GEN_SUSPENDED', 'GEN_CLOSED'])

    // While the module prints the state after next(g), gen_107's frame is off the stack, at its yield.
    const call = trace.steps[6]!
    const frameId = call.stack.at(-1)!.id
    expect(call.stack.map((frame) => frame.function)).toEqual(['<module>', 'gen_107'])
    expect(call.stack.at(-1)!.generator).toBe(g)
    const afterNext = trace.steps[9]!
    expect(afterNext.stack.map((frame) => frame.function)).toEqual(['<module>'])
    expect(afterNext.suspended).toEqual([{ id: frameId, function: 'gen_107', line: 5, locals: {}, generator: g }])
    expect(generatorAt(afterNext, g)).toMatchObject({ state: 'GEN_SUSPENDED', frame: frameId, function: 'gen_107' })
    // Created and not started: its frame is there too, at the def line.
    expect(trace.steps[4]!.suspended).toMatchObject([{ id: frameId, function: 'gen_107', generator: g }])
    expect(generatorAt(trace.steps[4]!, g)).toMatchObject({ state: 'GEN_CREATED', frame: frameId })
    // At the yield the frame is still on the stack, running: yield is not return.
    expect(trace.steps[8]!.stack.at(-1)!.id).toBe(frameId)
    expect(generatorAt(trace.steps[8]!, g)!.state).toBe('GEN_RUNNING')
    // Closed: no frame anywhere.
    const end = trace.steps.at(-1)!
    expect(end.suspended).toEqual([])
    expect(generatorAt(end, g)).toMatchObject({ state: 'GEN_CLOSED', frame: null })
    expect(trace.stdout).toBe('GEN_CREATED\n1\nGEN_SUSPENDED\n[0, 7]\nGEN_CLOSED\n')
    expect(trace.error).toBeNull()
    expect(trace.truncated).toBe(false)
  })

  test('the grep coroutine: send resumes it with the line, close runs its GeneratorExit path', () => {
    const trace = record(traceProgram('grep coroutine').source)
    expect(outline(trace)).toEqual([
      'call <module> 0',
      'line <module> 1',
      'line <module> 11',
      'line <module> 12',
      'call grep 1',
      'line grep 2',
      'line grep 3',
      'line grep 4',
      'line grep 5',
      'yield grep 5',
      'line <module> 13',
      'resume grep 5',
      'line grep 6',
      'line grep 4',
      'line grep 5',
      'yield grep 5',
      'line <module> 14',
      'resume grep 5',
      'line grep 6',
      'line grep 4',
      'line grep 5',
      'yield grep 5',
      'line <module> 15',
      'resume grep 5',
      'line grep 6',
      'line grep 7',
      'line grep 4',
      'line grep 5',
      'yield grep 5',
      'line <module> 16',
      'resume grep 5',
      'exception grep 5',
      'line grep 8',
      'line grep 9',
      'return grep 9',
      'return <module> 16'
    ])
    expect(yielded(trace)).toEqual(['None', 'None', 'None', 'None'])
    expect(stepsOf(trace, 'resume').map((step) => reprOf(step.sent))).toEqual([
      "'Yeah, but no, but yeah, but no'",
      "'A series of tubes'",
      "'python generators rock!'",
      null // close(): GeneratorExit is raised at the yield, nothing is sent
    ])
    const g = globalRef(trace.steps[3]!, 'g')
    expect(stateChanges(trace, g)).toEqual(['GEN_CREATED', 'GEN_SUSPENDED', 'GEN_CLOSED'])
    // The suspended frame keeps its locals while the module sends the next line.
    const beforeLastSend = trace.steps[22]!
    expect(beforeLastSend.suspended).toHaveLength(1)
    expect(beforeLastSend.suspended[0]!.locals).toEqual({
      pattern: { kind: 'str', repr: "'python'" },
      line: { kind: 'str', repr: "'A series of tubes'" }
    })
    const thrown = stepsOf(trace, 'exception')[0]!
    const exception = trace.steps[31]!.heap[(thrown.value as { id: string }).id]!
    expect(exception).toMatchObject({ type: 'other', type_name: 'GeneratorExit', repr: 'GeneratorExit()' })
    expect(reprOf(stepsOf(trace, 'return', 'grep')[0]!.value)).toBe('None')
    expect(trace.stdout).toBe("Looking for 'python'\npython generators rock!\nGoing away. Goodbye\n")
  })

  test('the COROUTINE EXAMPLE: main drives coroutine with next, send twice and close', () => {
    const { program, output } = coroutineExample()
    const trace = record(program)
    expect(trace.stdout).toBe(output)
    expect(yielded(trace)).toEqual(['0', '1', '2'])
    expect(stepsOf(trace, 'call').map((step) => `${step.function} ${step.line}`)).toEqual([
      '<module> 0',
      'main 10',
      'coroutine 3'
    ])
    expect(stepsOf(trace, 'resume').map((step) => reprOf(step.sent))).toEqual(["'CS107'", "'AC207'", null])
    const exceptions = stepsOf(trace, 'exception')
    expect(exceptions.map((step) => `${step.function} ${step.line}`)).toEqual(['coroutine 6'])
    expect(exceptions[0]!.heap[(exceptions[0]!.value as { id: string }).id]!.type_name).toBe('GeneratorExit')
    // close() ends the frame by the exception: a return without a value.
    const end = stepsOf(trace, 'return', 'coroutine')
    expect(end).toHaveLength(1)
    expect(end[0]!.value).toBeNull()

    // While main prints after the first send, coroutine's frame is suspended with its counter.
    const inMain = trace.steps.find((step) => step.function === 'main' && step.line === 17)!
    expect(inMain.stack.map((frame) => frame.function)).toEqual(['<module>', 'main'])
    const c = inMain.stack[1]!.locals.c as { kind: 'ref'; id: string }
    expect(inMain.suspended).toEqual([
      {
        id: expect.stringMatching(/^f\d+$/) as string,
        function: 'coroutine',
        line: 6,
        locals: { ncalls: { kind: 'int', repr: '1' }, x: { kind: 'str', repr: "'CS107'" } },
        generator: c.id
      }
    ])
    expect(stateChanges(trace, c.id)).toEqual(['GEN_CREATED', 'GEN_SUSPENDED', 'GEN_CLOSED'])
    // The frame keeps its id across its suspensions and resumes.
    const coroutineFrames = new Set(
      trace.steps.flatMap((step) =>
        [...step.stack, ...step.suspended].filter((frame) => frame.function === 'coroutine').map((frame) => frame.id)
      )
    )
    expect(coroutineFrames.size).toBe(1)
  })

  test('a generator expression: lazy, each value yielded by gen and then by <genexpr>', () => {
    const trace = record(traceProgram('generator expression (lazy)').source)
    expect(outline(trace).slice(0, 15)).toEqual([
      'call <module> 0',
      'line <module> 2',
      'line <module> 10',
      'line <module> 13',
      'line <module> 14',
      'call <genexpr> 10',
      'line <genexpr> 10',
      'call gen 2',
      'line gen 3',
      'line gen 4',
      'yield gen 4',
      'yield <genexpr> 10',
      'line <module> 15',
      'line <module> 14',
      'resume <genexpr> 10'
    ])
    expect(yielded(trace)).toEqual(["'A'", "'A'", "'B'", "'B'"])
    // gen runs on top of the generator expression that pulls from it.
    const yieldA = trace.steps[10]!
    expect(yieldA.stack.map((frame) => frame.function)).toEqual(['<module>', '<genexpr>', 'gen'])
    // While the loop body prints, both are suspended; the generator expression holds gen as .0.
    const body = trace.steps[12]!
    expect(body.suspended.map((frame) => frame.function)).toEqual(['<genexpr>', 'gen'])
    const genexpr = body.suspended[0]!
    const inner = genexpr.locals['.0'] as { kind: 'ref'; id: string }
    expect(generatorAt(body, inner.id)).toMatchObject({ function: 'gen', state: 'GEN_SUSPENDED' })
    expect(generatorAt(body, genexpr.generator)).toMatchObject({ function: '<genexpr>', state: 'GEN_SUSPENDED' })
    expect(body.stack[0]!.locals.i).toEqual({ kind: 'str', repr: "'A'" })
    expect(trace.stdout).toBe('Enter loop\nStart\nA\nContinue\nB\nEnd\n')
  })

  test('a list comprehension: eager, its own frame (3.11) never shown', () => {
    const trace = record(traceProgram('list comprehension (eager)').source)
    expect(trace.steps.every((step) => step.stack.every((frame) => !frame.function.endsWith('comp>')))).toBe(true)
    expect(outline(trace).slice(0, 9)).toEqual([
      'call <module> 0',
      'line <module> 2',
      'line <module> 10',
      'call gen 2',
      'line gen 3',
      'line gen 4',
      'yield gen 4',
      'line <module> 10',
      'resume gen 4'
    ])
    expect(trace.stdout).toBe('Start\nContinue\nEnd\nEnter loop\nA\nB\n')
  })

  test('yield from: one yield per value, the delegation drawn, the return value handed back', () => {
    const trace = record(traceProgram('yield from').source)
    expect(yielded(trace)).toEqual(['2', '1'])
    const first = stepsOf(trace, 'yield')[0]!
    expect(first.stack.map((frame) => frame.function)).toEqual(['<module>', 'launch', 'countdown'])
    // Back in the module after next(rocket): launch is suspended in its yield from, delegating to countdown.
    const afterNext = trace.steps[trace.steps.indexOf(first) + 1]!
    expect(afterNext.stack.map((frame) => frame.function)).toEqual(['<module>'])
    expect(afterNext.suspended.map((frame) => frame.function)).toEqual(['launch', 'countdown'])
    const [launch, countdown] = afterNext.suspended as [TraceStep['suspended'][0], TraceStep['suspended'][0]]
    expect(generatorAt(afterNext, launch.generator)!.yieldfrom).toBe(countdown.generator)
    expect(launch.locals).toEqual({})
    expect(countdown.locals).toEqual({ n: { kind: 'int', repr: '2' } })
    // countdown returns 'liftoff'; launch goes on with it, no StopIteration shown.
    expect(reprOf(stepsOf(trace, 'return', 'countdown')[0]!.value)).toBe("'liftoff'")
    expect(stepsOf(trace, 'exception')).toEqual([])
    const resumed = trace.steps.find((step) => step.function === 'launch' && step.line === 9)!
    expect(resumed.stack.at(-1)!.locals.result).toEqual({ kind: 'str', repr: "'liftoff'" })
    // Each resume of the chain is one step, the delegate's.
    expect(stepsOf(trace, 'resume').map((step) => step.function)).toEqual(['countdown', 'countdown'])
    expect(trace.stdout).toBe("2\ncountdown returned 'liftoff'\n[1]\n")
  })

  test('throw(): the exception is raised at the yield and caught inside the generator', () => {
    const trace = record(traceProgram('throw').source)
    const thrown = stepsOf(trace, 'exception')[0]!
    const index = trace.steps.indexOf(thrown)
    expect(outline(trace).slice(index - 2, index + 3)).toEqual([
      'line <module> 11',
      'resume tolerant 4',
      'exception tolerant 4',
      'line tolerant 6',
      'line tolerant 7'
    ])
    expect(thrown.heap[(thrown.value as { id: string }).id]).toMatchObject({
      type_name: 'ValueError',
      repr: "ValueError('bad value')"
    })
    expect(trace.steps[index - 1]!.sent).toBeNull()
    // Caught: the generator goes on and yields again, it is not closed.
    expect(outline(trace).slice(index + 3, index + 7)).toEqual([
      'line tolerant 2',
      'line tolerant 3',
      'line tolerant 4',
      'yield tolerant 4'
    ])
    expect(yielded(trace)).toEqual(["'ready'", "'ready'", "'ready'"])
    expect(stepsOf(trace, 'resume').map((step) => reprOf(step.sent))).toEqual([null, '42', null])
    expect(trace.stdout).toBe('ready\ncaught bad value\nready\ngot 42\nready\n')
  })

  test('PEP 479: StopIteration raised in a generator becomes a RuntimeError in its caller', () => {
    const trace = record(traceProgram('PEP 479').source)
    const exceptions = stepsOf(trace, 'exception').map((step) => ({
      at: `${step.function} ${step.line}`,
      type: step.heap[(step.value as { id: string }).id]!.type_name
    }))
    expect(exceptions).toEqual([
      { at: 'leaky 3', type: 'StopIteration' },
      { at: '<module> 6', type: 'RuntimeError' }
    ])
    const leaves = trace.steps[trace.steps.findIndex((step) => step.event === 'exception') + 1]!
    expect(leaves).toMatchObject({ event: 'return', function: 'leaky', value: null })
    expect(trace.stdout).toBe('1\nRuntimeError: generator raised StopIteration\n')
    expect(trace.error).toBeNull()
  })

  test('an infinite generator stops at the step cap with a plain note', () => {
    const trace = record(INFINITE, { maxSteps: 200 })
    expect(trace.steps).toHaveLength(200)
    expect(trace.truncated).toBe(true)
    expect(trace.note).toContain('step limit (200 steps)')
    expect(trace.error).toBeNull()
    // What it printed up to the cap: 0, 1, 2, … as running it plainly would begin.
    const printed = trace.stdout.split('\n').slice(0, -1)
    expect(printed.length).toBeGreaterThan(10)
    expect(printed).toEqual(printed.map((_, index) => String(index)))
    expect(trace.steps.at(-1)!.stdout_length).toBe(trace.stdout.length)
  })

  test('a program that raises at the end: the error and its traceback, the output before it', () => {
    const trace = record(traceProgram('raises at the end').source)
    expect(trace.error).toEqual({
      type: 'ValueError',
      message: 'the total 14 is too small',
      traceback: [
        'Traceback (most recent call last):',
        '  File "<program>", line 7, in <module>',
        "    raise ValueError(f'the total {total} is too small')",
        'ValueError: the total 14 is too small',
        ''
      ].join('\n')
    })
    expect(outline(trace).slice(-3)).toEqual(['line <module> 7', 'exception <module> 7', 'return <module> 7'])
    expect(trace.steps.at(-1)!.value).toBeNull()
    expect(yielded(trace)).toEqual(['0', '1', '4', '9'])
    expect(trace.stdout).toBe('total 14\n')
    expect(trace.truncated).toBe(false)
  })

  test("the runtime's own frames at a traceback's end are cut, as CPython has none there", () => {
    // The console's interruptible time.sleep is Python code named <yield-lab console>; CPython's is C.
    const source = [
      'stand_in = {}',
      'exec(compile("def sleep(s):\\n    raise KeyboardInterrupt", "<yield-lab console>", "exec"), stand_in)',
      "stand_in['sleep'](60)",
      ''
    ].join('\n')
    const trace = record(source)
    expect(trace.error?.type).toBe('KeyboardInterrupt')
    // 3.14 adds caret lines under the call; the frames listed are what differs.
    const frames = trace.error!.traceback.split('\n').filter((line) => line.startsWith('  File '))
    expect(frames).toEqual(['  File "<program>", line 3, in <module>'])
    expect(trace.error!.traceback).toMatch(/\nKeyboardInterrupt\n$/)
  })

  test('the time cap stops a program that would run on, with a plain note', () => {
    const trace = record(INFINITE, { maxSteps: 1_000_000, maxSeconds: 0.2 })
    expect(trace.truncated).toBe(true)
    expect(trace.note).toMatch(
      /^Recording stopped at the time limit \(0\.2 s\) after [\d,]+ steps; the program had not finished\.$/
    )
    expect(trace.steps.length).toBeGreaterThan(0)
    expect(trace.error).toBeNull()
  })

  test('the time cap stops a loop on one line, where CPython 3.11 reports no line after the first', () => {
    const trace = record('while True: pass\n', { maxSteps: 1_000_000, maxSeconds: 0.2 })
    expect(trace.truncated).toBe(true)
    expect(trace.note).toMatch(/^Recording stopped at the time limit \(0\.2 s\) after [\d,]+ steps;/)
    expect(trace.error).toBeNull()
  })

  test('the time cap stops a loop on one line whose program catches KeyboardInterrupt', () => {
    // On CPython the loop is in exec: 3.11 lets an exception raised at a one-line loop's jump back
    // escape the try around it, and exec'd code has no steps, so only the alarm can stop it. Pyodide
    // has no alarm, and its steps see the loop on one line.
    const loop = runtime === 'CPython' ? 'exec("while True: pass")' : 'while True: pass'
    const source = `while True:\n    try:\n        ${loop}\n    except KeyboardInterrupt:\n        print("caught")\n`
    const trace = record(source, { maxSteps: 1_000_000, maxSeconds: 0.2 })
    expect(trace.note).toMatch(/^Recording stopped at the time limit \(0\.2 s\)/)
    expect(trace.stdout).toBe('')
    expect(trace.error).toBeNull()
  })

  test('the size limit stops a deep recursion, whose every step draws every frame', () => {
    const trace = record('def down(n):\n    return down(n + 1)\n\ndown(0)\n', { maxEntries: 2_000 })
    expect(trace.truncated).toBe(true)
    expect(trace.note).toContain('the trace reached its size limit (2,000 frames and objects over all steps')
    const drawn = trace.steps.reduce(
      (sum, step) => sum + step.stack.length + step.suspended.length + Object.keys(step.heap).length,
      0
    )
    expect(drawn).toBeGreaterThan(2_000)
    expect(drawn - trace.steps.at(-1)!.stack.length - Object.keys(trace.steps.at(-1)!.heap).length).toBeLessThanOrEqual(
      2_000
    )
    expect(trace.steps.at(-1)!.stack.length).toBeGreaterThan(10)
  })

  test('a generator closed by the collector keeps its ids while its finally runs, and nothing is kept alive', () => {
    const trace = record(traceProgram('collected generators').source)
    const rebound = trace.steps.findIndex((step) => step.event === 'line' && step.line === 9)
    const w = globalRef(trace.steps[rebound]!, 'w')
    const frameId = trace.steps[rebound]!.suspended[0]!.id
    // `w = None` drops the last reference: close() runs the finally inside that line, step by step.
    expect(outline(trace).slice(rebound, rebound + 6)).toEqual([
      'line <module> 9',
      'resume worker 3',
      'exception worker 3',
      'line worker 5',
      'return worker 5',
      'line <module> 10'
    ])
    const closing = trace.steps[rebound + 3]!
    expect(closing.stack.at(-1)).toMatchObject({ id: frameId, generator: w })
    // The finally re-raises GeneratorExit: the frame ends by it, with no value.
    expect(trace.steps[rebound + 4]!.value).toBeNull()
    const raised = trace.steps[rebound + 2]!
    expect(raised.heap[(raised.value as { id: string }).id]!.type_name).toBe('GeneratorExit')
    expect(trace.steps[rebound + 5]!.heap[w]).toBeUndefined()
    // The other is still suspended when the program ends; it is closed at exit, as python3 does.
    expect(trace.stdout).toBe('a\nclosing a\nafter\nb\nclosing b\n')
    expect(trace.steps.at(-1)!.stdout_length).toBe('a\nclosing a\nafter\nb\n'.length)
  })

  test('a syntax error gives no steps and the error with its line', () => {
    const trace = record('x = 1\ndef broken(:\n    pass\n')
    expect(trace.steps).toEqual([])
    expect(trace.error).toMatchObject({ type: 'SyntaxError' })
    expect(trace.error!.traceback).toContain('line 2')
  })

  test('long containers say how many items they hide; objects are shown by type, not by their repr', () => {
    const trace = record(
      [
        'class Loud:',
        '    def __repr__(self):',
        "        print('repr ran')",
        "        return 'Loud()'",
        'numbers = list(range(120))',
        'loud = Loud()',
        "text = 'x' * 500",
        'table = dict(zip(range(200), range(200)))',
        "words = {'pear', 'apple', 'fig'}",
        'for i in range(60):',
        "    setattr(loud, f'a{i}', i)",
        'done = True'
      ].join('\n')
    )
    const last = trace.steps.at(-1)!
    const numbers = last.heap[globalRef(last, 'numbers')]!
    expect(numbers.items).toHaveLength(50)
    expect(numbers.hidden).toBe(70)
    expect(last.heap[globalRef(last, 'loud')]).toMatchObject({
      type: 'instance',
      type_name: 'Loud',
      repr: '<Loud object>'
    })
    expect(last.stack[0]!.locals.text).toEqual({ kind: 'str', repr: `'${'x'.repeat(120)}'… 380 more` })
    const table = last.heap[globalRef(last, 'table')]!
    expect(table.type).toBe('dict')
    expect('entries' in table && table.entries.slice(0, 2)).toEqual([
      [
        { kind: 'int', repr: '0' },
        { kind: 'int', repr: '0' }
      ],
      [
        { kind: 'int', repr: '1' },
        { kind: 'int', repr: '1' }
      ]
    ])
    expect(table.hidden).toBe(150)
    // A set of strings is shown sorted: the same on every run, whatever the hash seed.
    expect(last.heap[globalRef(last, 'words')]!.items.map((item) => reprOf(item))).toEqual([
      "'apple'",
      "'fig'",
      "'pear'"
    ])
    const attributes = last.heap[globalRef(last, 'loud')]!
    expect('entries' in attributes && attributes.entries[0]).toEqual([
      { kind: 'str', repr: "'a0'" },
      { kind: 'int', repr: '0' }
    ])
    expect(attributes.hidden).toBe(10)
    expect(trace.stdout).toBe('')
  })
})

describe('the trace recorder in Pyodide, as the app runs it', () => {
  test('Interrupt stops the recording: the steps so far, KeyboardInterrupt and a note', () => {
    const runtime = pyodide.pyodide!
    const interrupt = new Uint8Array(new SharedArrayBuffer(1))
    const scope = globalThis as { pressInterrupt?: () => void }
    // The program presses Interrupt itself, after some steps, as a person would mid-run.
    scope.pressInterrupt = () => {
      interrupt[0] = 2 // SIGINT
    }
    runtime.setInterruptBuffer(interrupt)
    try {
      const trace = pyodide.record(
        'import js\nn = 0\nwhile True:\n    n += 1\n    if n == 20:\n        js.pressInterrupt()\n'
      )
      expect(trace.truncated).toBe(true)
      expect(trace.error?.type).toBe('KeyboardInterrupt')
      expect(trace.note).toMatch(/^Recording was interrupted after [\d,]+ steps\.$/)
      expect(trace.steps.length).toBeGreaterThan(20 * 3)
      expect(trace.steps.length).toBeLessThan(10_000)
      // Python goes on working afterwards.
      expect(pyodide.record('print(6 * 7)\n').stdout).toBe('42\n')
    } finally {
      runtime.setInterruptBuffer(new Uint8Array(new SharedArrayBuffer(1)))
      delete scope.pressInterrupt
    }
  })
})

describe('the same program on CPython and on Pyodide', () => {
  test.each(tracePrograms.map((program) => [program.name, program]))(
    '%s gives the same trace on both',
    (_, program) => {
      const [onCPython, onPyodide] = [cpython.record(program.source), pyodide.record(program.source)]
      expect(onCPython.python).toMatch(/^3\.1[1-9]\./)
      expect(onPyodide.python).toMatch(/^3\.1[4-9]\./)
      expect({ ...onPyodide, python: '' }).toEqual({ ...onCPython, python: '' })
    }
  )
})

describe('differential: each program against python3 running it plainly', () => {
  test.each(tracePrograms.map((program) => [program.name, program]))('%s', (_, program) => {
    const expected = plainStdout(program.source)
    for (const recorder of [cpython, pyodide]) {
      const trace = recorder.record(program.source)
      expect(trace.stdout).toBe(expected)
      expect(stepsOf(trace, 'yield')).toHaveLength(program.yields)
    }
  })
})
