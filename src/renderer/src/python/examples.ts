/**
 * The lecture's snippets for the Examples menu. Each example is a list of console inputs, run one
 * after another as if typed at the >>> prompt, so the transcript reads like the lecture's.
 */
export interface ConsoleExample {
  id: string
  title: string
  summary: string
  inputs: string[]
}

const GEN_107 = `def gen_107():
    """Generator function"""
    yield 1
    yield 0
    yield 7
`

/** The lecture's COROUTINE EXAMPLE, verbatim. */
export const COROUTINE_EXAMPLE = `from inspect import getgeneratorstate

def coroutine():
    ncalls = 0
    while True:
        x = yield ncalls
        ncalls += 1
        print(f'coroutine(): {x} (call id: {ncalls})')

def main():
    c = coroutine()
    print(getgeneratorstate(c))
    next(c)  # prime the coroutine; next() returns 0 here
    print(getgeneratorstate(c))

    c.send('CS107')
    print('main(): control back in main function')
    last_call = c.send('AC207')
    print(f'main(): called coroutine() {last_call} times')

    c.close()
    print(getgeneratorstate(c))

if __name__ == "__main__":
    main()
`

const GEN = `# generator function
def gen():
    print('Start')
    yield 'A'
    print('Continue')
    yield 'B'
    print('End')
`

export const examples: ConsoleExample[] = [
  {
    id: 'gen-107',
    title: 'gen_107 and getgeneratorstate',
    summary: 'A generator function, its generator object, and the states next() and list() move it through.',
    inputs: [
      GEN_107,
      'from inspect import getgeneratorstate',
      'gen_107',
      'g = gen_107()',
      'getgeneratorstate(g)',
      'next(g)',
      'getgeneratorstate(g)',
      'list(g)',
      'getgeneratorstate(g)'
    ]
  },
  {
    id: 'for-loop',
    title: 'A generator is an iterator',
    summary: 'for drives next() until StopIteration; each call to gen_107() is a new generator.',
    inputs: [GEN_107, 'for i in gen_107():\n    i\n', 'a, b = gen_107(), gen_107()', 'a; b', 'iter(a); iter(b)']
  },
  {
    id: 'return-value',
    title: 'return, StopIteration.value and yield from',
    summary: 'A return ends the generator; its value travels in StopIteration.value and out of yield from.',
    inputs: [
      'def gen_107():\n    """Generator function"""\n    yield 1\n    yield 0\n    return\n    yield 7 # never executed!\n',
      'for i in gen_107():\n    i\n',
      "def countdown(n):\n    while n > 0:\n        yield n\n        n -= 1\n    return 'liftoff'\n",
      'c = countdown(2)',
      'next(c)',
      'next(c)',
      'try:\n    next(c)\nexcept StopIteration as stop:\n    print(f"StopIteration.value = {stop.value!r}")\n',
      'def launch():\n    result = yield from countdown(3)\n    print(f"countdown returned {result!r}")\n',
      'list(launch())'
    ]
  },
  {
    id: 'send',
    title: 'A coroutine receives values with send',
    summary: 'Prime with next(), push values in with send(), shut it down with close().',
    inputs: [
      'def coroutine():\n    while True:\n        x = yield # yield may obtain something and we assign it to x!\n        print(x)\n',
      'c = coroutine()',
      'next(c) # we must prime the coroutine by calling next() before use',
      "y = c.send('Hello CS107/AC207')",
      'print(y)',
      'c.close()'
    ]
  },
  {
    id: 'coroutine-example',
    title: 'COROUTINE EXAMPLE: main() and coroutine()',
    summary: 'The lecture’s complete program: getgeneratorstate, next, send twice, close.',
    inputs: [COROUTINE_EXAMPLE]
  },
  {
    id: 'grep',
    title: 'A grep coroutine: send lines, then close',
    summary: 'A coroutine that prints the lines it is sent that match; close() ends it through GeneratorExit.',
    inputs: [
      `def grep(pattern):
    print(f"Looking for {pattern}")
    try:
        while True:
            line = yield
            if pattern in line:
                print(line)
    except GeneratorExit:
        print("Going away. Goodbye")
`,
      "g = grep('python')",
      'next(g)',
      "g.send('Yeah, but no, but yeah, but no')",
      "g.send('A series of tubes')",
      "g.send('python generators rock!')",
      'g.close()'
    ]
  },
  {
    id: 'send-too-early',
    title: 'send() before priming',
    summary: 'A just-started generator can only receive None: Python’s own TypeError.',
    inputs: [
      'def echo():\n    while True:\n        received = yield\n        print("got", received)\n',
      'e = echo()',
      "e.send('too early')",
      'e.send(None)  # the same as next(e): primes it',
      "e.send('now it works')"
    ]
  },
  {
    id: 'close',
    title: 'close(), GeneratorExit and finally',
    summary: 'close() raises GeneratorExit at the paused yield; yielding again there is a RuntimeError.',
    inputs: [
      "def worker():\n    try:\n        while True:\n            yield 'working'\n    except GeneratorExit:\n        print('GeneratorExit: cleaning up')\n        raise\n",
      'w = worker()',
      'next(w)',
      'w.close()',
      "def stubborn():\n    try:\n        yield 1\n    finally:\n        yield 'refusing to close'\n",
      's = stubborn()',
      'next(s)',
      's.close()'
    ]
  },
  {
    id: 'eager',
    title: 'Eager: a list comprehension',
    summary: 'The list is built first: Start, Continue, End print before Enter loop.',
    inputs: [
      `${GEN}\n# list comprehension (eager)\nlc = [x for x in gen()]\n\n# iterate over list\nprint('Enter loop')\nfor i in lc:\n    print(i)\n`
    ]
  },
  {
    id: 'lazy',
    title: 'Lazy: a generator expression',
    summary: 'Nothing runs until the loop asks: the prints interleave with the items.',
    inputs: [
      `${GEN}\n# generator expression (lazy)\nge = (x for x in gen())\n\n# iterate over generator expression\nprint('Enter loop')\nfor i in ge:\n    print(i)\n`
    ]
  },
  {
    id: 'comprehensions',
    title: 'Comprehensions and generator expressions',
    summary: 'List, set and dict comprehensions are eager; (…) makes a lazy generator.',
    inputs: [
      '[x for x in range(5)]',
      '{x for x in [0, 0, 1, 2, 2]}',
      "{k:v for k, v in [(0,'a'), (1,'b'), (2,'c')]}",
      "(x.upper() for x in list('abc'))"
    ]
  },
  {
    id: 'itertools',
    title: 'filter, filterfalse, map and chain',
    summary: 'Lazy tools of the standard library, as in the lecture.',
    inputs: [
      "list(filter(lambda x: x.lower() in 'aeiou', 'What you seek is seeking you.'))",
      'list(filter(lambda x: isinstance(x, int), [0, 0x1, 0o2, 3.0]))',
      'from itertools import filterfalse',
      'list(filterfalse(lambda x: isinstance(x, int), [0, 0x1, 0o2, 3.0]))',
      "list(map(lambda a, b: (a, b), range(11), list('ABC')))",
      'from itertools import chain, islice, count',
      "list(chain.from_iterable([range(3), 'ab']))",
      'list(islice(count(10), 5))'
    ]
  },
  {
    id: 'function-attributes',
    title: 'Function objects and their attributes',
    summary: '__code__, __doc__, __defaults__, __closure__…: open them in Internals below.',
    inputs: [
      'def f():\n    pass\n',
      'g = lambda x: x',
      'f.__code__; g.__code__',
      'def make_adder(n=1):\n    """Returns a function that adds n."""\n    def add(x):\n        return x + n\n    return add\n',
      'add2 = make_adder(2)',
      'make_adder.__doc__, make_adder.__defaults__',
      'add2.__name__, add2.__closure__, add2.__closure__[0].cell_contents'
    ]
  },
  {
    id: 'runaway',
    title: 'A runaway loop (try Interrupt)',
    summary: 'while True never ends: press Interrupt or Ctrl+C to raise KeyboardInterrupt in it.',
    inputs: ['n = 0\nwhile True:\n    n += 1\n']
  }
]
