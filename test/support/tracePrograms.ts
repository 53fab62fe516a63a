/**
 * Programs the trace recorder is checked on (test/renderer/src/python/trace_recorder.test.ts, the
 * CLI's test) and timed on (bench/suites/step.ts): the lecture's examples as whole programs, and the
 * corners of the generator protocol (yield from, throw, close, PEP 479, a step cap, an uncaught error).
 */
import { coroutineExample, lectureSection } from './lecture'

export interface TraceProgram {
  name: string
  source: string
  /** Values the program's generators yield, counted from the program (a `yield from` passes its delegate's on: counted once). */
  yields: number
  /** One of the lecture's examples (what the bench times). */
  lecture: boolean
}

/** A lecture section whose program is followed by its output (the eager and lazy slides). */
function programBeforeOutput(title: string): string {
  const [program] = lectureSection(title).split(/\n (?=\S)/) as [string]
  return `${program.replace(/^ $/gm, '')}\n`
}

export const GEN_107 = `from inspect import getgeneratorstate

${lectureSection('gen_107')}
g = gen_107()
print(getgeneratorstate(g))
print(next(g))
print(getgeneratorstate(g))
print(list(g))
print(getgeneratorstate(g))
`

/** David Beazley's grep coroutine, the classic of send() and close(). */
export const GREP = `def grep(pattern):
    print(f'Looking for {pattern!r}')
    try:
        while True:
            line = yield
            if pattern in line:
                print(line)
    except GeneratorExit:
        print('Going away. Goodbye')

g = grep('python')
next(g)
g.send('Yeah, but no, but yeah, but no')
g.send('A series of tubes')
g.send('python generators rock!')
g.close()
`

export const YIELD_FROM = `def countdown(n):
    while n > 0:
        yield n
        n -= 1
    return 'liftoff'

def launch():
    result = yield from countdown(2)
    print(f'countdown returned {result!r}')

rocket = launch()
print(next(rocket))
print(list(rocket))
`

export const THROW = `def tolerant():
    while True:
        try:
            value = yield 'ready'
            print('got', value)
        except ValueError as error:
            print('caught', error)

t = tolerant()
print(next(t))
print(t.throw(ValueError('bad value')))
print(t.send(42))
t.close()
`

export const PEP_479 = `def leaky():
    yield 1
    raise StopIteration('too early')

try:
    for value in leaky():
        print(value)
except RuntimeError as error:
    print('RuntimeError:', error)
`

export const INFINITE = `def naturals():
    n = 0
    while True:
        yield n
        n += 1

for n in naturals():
    print(n)
`

export const RAISES_AT_END = `def squares(limit):
    for i in range(limit):
        yield i * i

total = sum(squares(4))
print('total', total)
raise ValueError(f'the total {total} is too small')
`

/** Generators closed by the collector, as a name is rebound and at the end: their finally still prints. */
export const COLLECTED = `def worker(name):
    try:
        yield name
    finally:
        print('closing', name)

w = worker('a')
print(next(w))
w = None
print('after')
kept = worker('b')
print(next(kept))
`

export const tracePrograms: readonly TraceProgram[] = [
  { name: 'gen_107', source: GEN_107, yields: 3, lecture: true },
  { name: 'grep coroutine', source: GREP, yields: 4, lecture: true },
  { name: 'generator expression (lazy)', source: programBeforeOutput('lazy'), yields: 4, lecture: true },
  { name: 'list comprehension (eager)', source: programBeforeOutput('eager'), yields: 2, lecture: true },
  { name: 'COROUTINE EXAMPLE', source: coroutineExample().program, yields: 3, lecture: true },
  { name: 'yield from', source: YIELD_FROM, yields: 2, lecture: true },
  { name: 'throw', source: THROW, yields: 3, lecture: false },
  { name: 'PEP 479', source: PEP_479, yields: 1, lecture: false },
  { name: 'raises at the end', source: RAISES_AT_END, yields: 4, lecture: false },
  { name: 'collected generators', source: COLLECTED, yields: 2, lecture: false }
]

export function traceProgram(name: string): TraceProgram {
  const program = tracePrograms.find((candidate) => candidate.name === name)
  if (program === undefined) throw new Error(`no trace program ${name}`)
  return program
}
