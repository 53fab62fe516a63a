/**
 * The console's Python side on the real Pyodide (in Node): the lecture's transcripts, tracebacks,
 * bad input, live generators and internals. Pyodide is loaded once for the file.
 */
import { beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { coroutineExample, lectureSection } from '../../../support/lecture'
import { examples } from '@renderer/python/examples'
import { programFromSession } from '@renderer/trace/programs'
import type { LiveObject } from '@renderer/python/protocol'
import { PythonSession, withoutAddresses } from '../../../support/pythonSession'

let python: PythonSession

beforeAll(async () => {
  python = new PythonSession()
  await python.start()
})
beforeEach(() => {
  python.reset()
})

/** The lecture's `>>> ` lines of a transcript, with their continuation lines. */
function lectureInputs(transcript: string): string[] {
  const inputs: string[] = []
  for (const line of transcript.split('\n')) {
    if (line.startsWith('>>> ')) inputs.push(line.slice(4))
    else if (line.startsWith('...') && inputs.length > 0) inputs[inputs.length - 1] += `\n${line.slice(4)}`
  }
  return inputs
}

const GEN_107 = lectureSection('gen_107')

const COROUTINE_DEFINITIONS = coroutineExample().program.replace(/if __name__[\s\S]*$/, '')

interface Report {
  kind: string
  state?: string
  signature: string | null
  attributes: { attribute: string; description?: string; value: string }[]
  code: { attribute: string; value: string }[]
  bytecode: string
  frame: Record<string, unknown> | null
  suspendedFrames: Record<string, unknown>[]
}

function objectNamed(objects: LiveObject[], name: string): LiveObject {
  const found = objects.find((object) => object.name === name)
  if (found === undefined) throw new Error(`${name} is not among the live objects`)
  return found
}

describe('the lecture, typed into the console', () => {
  test('COROUTINE EXAMPLE prints exactly the lecture’s output', () => {
    const { program, output: expectedOutput } = coroutineExample()
    const { stdout, stderr, outcome } = python.run(program)
    expect(stderr).toBe('')
    expect(outcome.status).toBe('ok')
    expect(stdout).toBe(expectedOutput)
    expect(stdout.split('\n')).toEqual([
      'GEN_CREATED',
      'GEN_SUSPENDED',
      'coroutine(): CS107 (call id: 1)',
      'main(): control back in main function',
      'coroutine(): AC207 (call id: 2)',
      'main(): called coroutine() 2 times',
      'GEN_CLOSED',
      ''
    ])
  })

  test('gen_107 with getgeneratorstate gives the lecture’s transcript', () => {
    python.run(`${GEN_107}\n`)
    const lecture = lectureSection('gen_107 transcript')
    const ours = python.runAll(lectureInputs(lecture))
    // The slide shows a repr after `g = gen_107()`, but an assignment echoes nothing in Python.
    const expected = lecture.replace(
      '>>> g = gen_107()\n<generator object gen_107 at 0x7fe79f57d820>\n',
      '>>> g = gen_107()\n'
    )
    expect(withoutAddresses(ours)).toBe(withoutAddresses(expected))
    expect(ours).toMatch(/^'GEN_CREATED'$[\s\S]*^1$[\s\S]*^'GEN_SUSPENDED'$[\s\S]*^\[0, 7\]$[\s\S]*^'GEN_CLOSED'$/m)
  })

  test('a for loop echoes each value, as in the REPL', () => {
    python.run(`${GEN_107}\n`)
    const lecture = lectureSection('for loop transcript')
    expect(python.runAll(lectureInputs(lecture))).toBe(lecture)
  })

  test('the coroutine primed with next and fed with send', () => {
    const section = lectureSection('coroutine send')
    const definition = section.slice(0, section.indexOf('>>> '))
    python.run(`${definition}\n`)
    const transcript = section.slice(section.indexOf('>>> '))
    expect(python.runAll(lectureInputs(transcript))).toBe(transcript)
  })

  test('eager and lazy print orders', () => {
    for (const title of ['eager', 'lazy']) {
      const section = lectureSection(title)
      const cut = section.search(/\n (Output \(eager\):\n|Enter loop\n)/)
      const program = section.slice(0, cut + 1).replace(/^ $/gm, '')
      const expected = section.slice(cut + 2).replace('Output (eager):\n', '')
      const { stdout } = python.run(program)
      expect(stdout, title).toBe(expected)
    }
  })

  test('filter, filterfalse and map', () => {
    const lecture = lectureSection('filter and map').replace(/  # list\('ABC'\) is the shorter iterable!/, '')
    expect(python.runAll(lectureInputs(lecture))).toBe(lecture)
  })

  test('function objects have code objects from "<stdin>"', () => {
    const lecture = lectureSection('function objects')
    const ours = python.runAll(lectureInputs(lecture))
    expect(withoutAddresses(ours)).toBe(withoutAddresses(lecture))
  })
})

describe('errors look like CPython’s', () => {
  test('a traceback starts at the user’s code and shows its lines', () => {
    python.run('def f(x):\n    return 1/x\n')
    const { stderr, outcome } = python.run('f(0)')
    expect(outcome.status).toBe('error')
    expect(stderr).toBe(
      [
        'Traceback (most recent call last):',
        '  File "<stdin>", line 1, in <module>',
        '    f(0)',
        '    ~^^^',
        '  File "<stdin>", line 2, in f',
        '    return 1/x',
        '           ~^~',
        'ZeroDivisionError: division by zero',
        ''
      ].join('\n')
    )
  })

  test('a syntax error points at the offending token, without a traceback', () => {
    const { stderr } = python.run('x = 1 +* 2')
    expect(stderr).toBe('  File "<stdin>", line 1\n    x = 1 +* 2\n           ^\nSyntaxError: invalid syntax\n')
    expect(python.run('x = 1 +* 2').outcome.status).toBe('syntax-error')
    expect(python.run('yield 1').stderr).toContain("SyntaxError: 'yield' outside function")
  })

  test('an input that raised replays in Step with its strings as they were: their lines are not indented into try', () => {
    const source = [
      "s = '''a",
      "  b'''",
      "t = 'c\\",
      "  d'",
      'u = f"""{s}',
      '    e{t!r}"""',
      'v = [',
      '    1]',
      'raise ValueError(s)'
    ].join('\n')
    const { outcome } = python.run(source)
    expect(outcome.status).toBe('error')
    expect(outcome.linesInsideStrings).toEqual([2, 4, 6])
    const shown = python.run('print(repr((s, t, u, v)))').stdout
    python.reset()
    const program = programFromSession([
      { source, status: outcome.status, linesInsideStrings: outcome.linesInsideStrings }
    ])
    expect(program).toContain("\n  b'''\n")
    expect(python.run(program).outcome.status).toBe('ok')
    expect(python.run('print(repr((s, t, u, v)))').stdout).toBe(shown)
    expect(python.run('1 + 1').outcome.linesInsideStrings).toEqual([])
    // What the user's code does to the modules it shares with the console does not lose the outcome.
    python.run('import io, tokenize\nkept = (io.StringIO, tokenize.generate_tokens)')
    try {
      const rebound = python.run(
        "io.StringIO = None\ntokenize.generate_tokens = None\ns = '''a\n  b'''\nraise ValueError"
      )
      expect(rebound.outcome).toMatchObject({ status: 'error', linesInsideStrings: [4] })
    } finally {
      python.run('io.StringIO, tokenize.generate_tokens = kept')
    }
  })

  test('statements before an error have run, the ones after have not', () => {
    const { stdout, stderr, output } = python.run("print('first')\nraise ValueError('second')\nprint('third')")
    expect(stdout).toBe('first\n')
    expect(output.startsWith('first\nTraceback')).toBe(true)
    expect(stderr).toMatch(
      /File "<stdin>", line 2, in <module>\n {4}raise ValueError\('second'\)\nValueError: second\n$/
    )
  })

  test('the console’s and the runtime’s own frames never show, in chained exceptions neither', () => {
    const sleep = python.run('import time\ntime.sleep(0.01)\ntime.sleep(0)\ntime.sleep(-1)')
    expect(sleep.stderr).toMatch(
      /^Traceback \(most recent call last\):\n {2}File "<stdin>", line 4, in <module>\n {4}time\.sleep\(-1\)\n[^\n]*\nValueError: [^\n]+\n$/
    )
    const chained = python.run("try:\n    1/0\nexcept ZeroDivisionError as e:\n    raise ValueError('bad') from e\n")
    expect(chained.stderr).toContain(
      'ZeroDivisionError: division by zero\n\nThe above exception was the direct cause of the following exception:\n\n'
    )
    expect(chained.stderr).toMatch(/ValueError: bad\n$/)
    for (const stderr of [sleep.stderr, chained.stderr]) {
      expect(stderr).not.toContain('<yield-lab console>')
      expect(stderr).not.toContain('pyodide')
    }
  })

  test('importing a package that is not bundled says the app is offline', () => {
    const numpy = python.run('import numpy')
    expect(numpy.stderr).toContain("ModuleNotFoundError: No module named 'numpy'")
    expect(numpy.stderr).toContain(
      "Yield Lab runs offline and bundles only Python's standard library, so packages such as 'numpy' cannot be installed here."
    )
    expect(numpy.stderr).not.toContain('micropip')
    expect(python.run('from requests.adapters import HTTPAdapter').stderr).toContain("packages such as 'requests'")
    expect(python.run('import tkinter').stderr).toContain("'tkinter' is not part of it")
    expect(python.run('import itertools, inspect, dis, asyncio, json').outcome.status).toBe('ok')
  })

  test('input() explains that the console has no keyboard stream', () => {
    const { stderr } = python.run("name = input('Your name? ')")
    expect(stderr).toContain('InputUnavailableError: input() cannot read from the Yield Lab console')
    expect(
      python.run(
        "import sys\ntry:\n    sys.stdin.readline()\nexcept OSError as e:\n    print('stdin:', type(e).__name__)"
      ).stdout
    ).toBe('stdin: OSError\n')
    expect(python.run('try:\n    input()\nexcept EOFError:\n    print("EOFError caught")\n').stdout).toBe(
      'EOFError caught\n'
    )
  })

  test('exit() does not end the console', () => {
    const { stderr } = python.run('exit()')
    expect(stderr).toContain('exit() does not close this console')
    expect(python.run('1 + 1').stdout).toBe('2\n')
  })

  test('a KeyboardInterrupt from the interrupt buffer stops a runaway loop and the console goes on', () => {
    // Stands in for the page, which sets the shared byte from another thread.
    ;(globalThis as Record<string, unknown>)['pressCtrlC'] = () => {
      python.interrupt[0] = 2
    }
    const { stderr, outcome } = python.run(
      'import js\nn = 0\nwhile True:\n    n += 1\n    if n == 50_000:\n        js.pressCtrlC()\n'
    )
    expect(outcome.status).toBe('interrupted')
    expect(stderr).toMatch(
      /^Traceback \(most recent call last\):\n {2}File "<stdin>", line \d, in <module>\n[\s\S]*KeyboardInterrupt\n$/
    )
    expect(Number(python.run('n').stdout)).toBeGreaterThanOrEqual(50_000)
    expect(python.run('sum(range(1_000_000))').stdout).toBe('499999500000\n')
  })

  test("an interrupt pressed before the input starts shows no frame but the input's, wherever Python polls", () => {
    const outcomes = new Set<string>()
    for (let spin = 0; spin <= 120; spin++) {
      // Python polls every 50 checks: the loop moves where its first poll in the next input falls,
      // across the console's own lines before and between the input's statements.
      python.run(`for _ in range(${spin}):\n    pass`)
      const { outcome, stderr } = python.run('x = 1\ny = 2', undefined, { interruptPressed: true })
      expect(outcome.status).toBe('interrupted')
      const frames = stderr.match(/^ {2}File .*$/gm) ?? []
      expect(frames.filter((frame) => !frame.startsWith('  File "<stdin>"'))).toEqual([])
      // As python3 prints an interrupt that comes before any of the input's lines: no header.
      if (frames.length === 0) expect(stderr).toBe('KeyboardInterrupt\n')
      else expect(stderr).toMatch(/^Traceback \(most recent call last\):\n[\s\S]*\nKeyboardInterrupt\n$/)
      outcomes.add(frames.length === 0 ? 'before any line of the input' : 'in the input')
    }
    console.info(`[console.test] an interrupt pressed before the input landed: ${[...outcomes].join(', ')}`)
  })

  test('an interrupt that lands as the input ends, wherever Python next polls, is never an error', () => {
    ;(globalThis as Record<string, unknown>)['pressCtrlC'] = () => {
      python.interrupt[0] = 2
    }
    python.run('import js')
    // Python polls every 50 checks: the loop before the press moves where the next poll falls,
    // across the input's last lines and the console's own work after it.
    const statuses = new Set<string>()
    for (let spin = 0; spin <= 120; spin++) {
      const { outcome, stderr } = python.run(`for _ in range(${spin}):\n    pass\njs.pressCtrlC()`)
      statuses.add(outcome.status)
      expect(['ok', 'interrupted']).toContain(outcome.status)
      if (outcome.status === 'interrupted') expect(stderr).toMatch(/KeyboardInterrupt\n$/)
      else expect(stderr).toBe('')
      // An interrupt held after the input ended stops nothing later.
      expect(python.run('x = 1').outcome.status).toBe('ok')
    }
    expect(python.run('1 + 1').stdout).toBe('2\n')
    console.info(`[console.test] an interrupt as the input ends gave: ${[...statuses].join(', ')}`)
  })
})

describe('whether Enter runs the input', () => {
  const cases: [string, boolean][] = [
    ['next(g)', true],
    ['def f():', false],
    ['def f():\n    return 1', false],
    ['def f():\n    return 1\n', true],
    ['def f():\n    return 1\n    ', true],
    ['@decorator', false],
    ['x = (1,', false],
    ['"""docstring', false],
    ['x = 1\nfor i in range(3):\n    print(i)', false],
    ['x = 1\nfor i in range(3):\n    print(i)\n', true],
    ['x = 1\ny = 2', true],
    ['x = 1 +* 2', true],
    ['', true]
  ]
  test.each(cases)('%j → %s', (source, complete) => {
    expect(python.isComplete(source)).toBe(complete)
  })
})

describe('live generators', () => {
  test('each generator in the namespace with its state, locals and current line', () => {
    python.run(COROUTINE_DEFINITIONS)
    let { outcome } = python.run('c = coroutine()')
    expect(objectNamed(outcome.objects, 'c')).toMatchObject({
      kind: 'generator',
      qualname: 'coroutine',
      state: 'created',
      line: 3,
      source: 'def coroutine():'
    })

    outcome = python.run('next(c)', 'c').outcome
    expect(objectNamed(outcome.objects, 'c')).toMatchObject({
      state: 'suspended',
      line: 6,
      source: '        x = yield ncalls',
      locals: [{ name: 'ncalls', repr: '0' }]
    })
    outcome = python.run("c.send('CS107')", 'c').outcome
    expect(objectNamed(outcome.objects, 'c').locals).toEqual([
      { name: 'ncalls', repr: '1' },
      { name: 'x', repr: "'CS107'" }
    ])
    expect(outcome.resume).toMatchObject({
      name: 'c',
      frameAlive: true,
      resumedStack: [
        { function: '<module>', file: '<stdin>', line: 1, source: "c.send('CS107')", isGenerator: false },
        { function: 'coroutine', file: '<stdin>', isGenerator: true }
      ]
    })
    outcome = python.run('c.close()', 'c').outcome
    expect(objectNamed(outcome.objects, 'c')).toMatchObject({ state: 'closed', line: null, locals: [] })
  })

  test('a watched generator is said to resume as its frame runs, not while send’s argument is evaluated', () => {
    python.run('def echo():\n    while True:\n        got = yield\n        print("got", got)\n')
    python.run('e = echo(); next(e)')
    const resumedAfter: string[] = []
    const onResumed = (): void => void resumedAfter.push(python.outputSoFar)
    const sent = python.run('e.send(print("argument") or 5)', 'e', { onResumed })
    expect(sent.output).toBe('argument\ngot 5\n')
    expect(resumedAfter).toEqual(['argument\n']) // once, after the argument and before the body printed

    resumedAfter.length = 0
    expect(python.run('e.send(1 / 0)', 'e', { onResumed }).stderr).toContain('ZeroDivisionError')
    expect(resumedAfter).toEqual([]) // the argument raised: e never ran
    expect(objectNamed(python.run('e.close()').outcome.objects, 'e').state).toBe('closed')
    expect(python.run('next(e)', 'e', { onResumed }).stderr).toContain('StopIteration')
    expect(resumedAfter).toEqual([]) // a closed generator has no frame to run
  })

  test('the stack seen from inside main(): the generator’s frame sits on top of main’s', () => {
    python.run(COROUTINE_DEFINITIONS)
    python.run('def drive(gen):\n    return next(gen)\n')
    python.run('c = coroutine()')
    const { outcome } = python.run('drive(c)', 'c')
    expect(outcome.resume?.resumedStack.map((frame) => frame.function)).toEqual(['<module>', 'drive', 'coroutine'])
  })

  test('send, throw and close, with Python’s own errors', () => {
    python.run(`${GEN_107}\n`)
    python.run('g = gen_107()')
    const early = python.run("g.send('CS107')", 'g')
    expect(early.stderr).toMatch(/TypeError: can't send non-None value to a just-started generator\n$/)
    expect(objectNamed(early.outcome.objects, 'g').state).toBe('created')

    expect(python.run('g.send(None)', 'g').stdout).toBe('1\n')
    const thrown = python.run("g.throw(ValueError('stop here'))", 'g')
    expect(thrown.stderr).toMatch(/File "<stdin>", line 3, in gen_107\n {4}yield 1\nValueError: stop here\n$/)
    expect(objectNamed(thrown.outcome.objects, 'g').state).toBe('closed')
    const exhausted = python.run('next(g)', 'g')
    expect(exhausted.stderr).toMatch(/StopIteration\n$/)

    // The Examples menu's "close(), GeneratorExit and finally".
    const transcript = python.runAll(examples.find((example) => example.id === 'close')!.inputs)
    expect(transcript).toContain('>>> w.close()\nGeneratorExit: cleaning up\n')
    expect(transcript).toMatch(
      />>> s\.close\(\)\nTraceback \(most recent call last\):\n[\s\S]*RuntimeError: generator ignored GeneratorExit\n$/
    )
  })

  test('aliases, coroutines of async def, and names that are not generators', () => {
    python.run(`${GEN_107}\n`)
    python.run('g = h = gen_107()\nnumbers = [1, 2]\nasync def fetch():\n    return 1\n')
    const { outcome } = python.run('co = fetch()')
    expect(outcome.objects.map((object) => [object.name, object.aliases, object.kind, object.state])).toEqual([
      ['g', ['h'], 'generator', 'created'],
      ['co', [], 'coroutine', 'created']
    ])
    expect(outcome.inspectables.map(({ name, kind }) => ({ name, kind }))).toEqual([
      { name: 'gen_107', kind: 'generator function' },
      { name: 'g', kind: 'generator' },
      { name: 'h', kind: 'generator' },
      { name: 'fetch', kind: 'coroutine function' },
      { name: 'co', kind: 'coroutine' }
    ])
    python.run('co.close()')
  })

  test('what each generator last did: yielded, returned, raised, or was closed', () => {
    python.run('def gen():\n    x = yield 1\n    yield [x] * 2\n    return "done"\n')
    const lastOf = (name: string): LiveObject['last'] => objectNamed(python.run('0').outcome.objects, name).last
    // Bound and driven in one input: the first statement binds it, the second is already watched.
    python.run('g = gen(); next(g)')
    expect(lastOf('g')).toEqual({ event: 'yielded', repr: '1' })
    python.run("g.send('a')")
    expect(lastOf('g')).toEqual({ event: 'yielded', repr: "['a', 'a']" })
    expect(python.run('next(g)').stderr).toMatch(/StopIteration: done\n$/)
    expect(lastOf('g')).toEqual({ event: 'returned', repr: "'done'" })

    python.run('t = gen()\nnext(t)')
    python.run("t.throw(ValueError('stop'))")
    expect(lastOf('t')).toEqual({ event: 'raised', repr: "ValueError('stop')" })
    python.run('c = gen()\nnext(c)\nc.close()')
    expect(lastOf('c')).toEqual({ event: 'closed', repr: null })
    // Driven by a loop rather than next(): the loop's values count too; never started: nothing yet.
    python.run('ge = (n * n for n in range(4))\nfor n in ge:\n    if n > 3: break\n')
    expect(lastOf('ge')).toEqual({ event: 'yielded', repr: '4' })
    python.run('fresh = gen()')
    expect(lastOf('fresh')).toBeNull()
    // Closed or thrown into before it started: close() runs none of its code, yet it was closed.
    python.run('early = gen()')
    python.run('early.close()')
    expect(lastOf('early')).toEqual({ event: 'closed', repr: null })
    python.run('made = gen(); made.close()')
    expect(lastOf('made')).toEqual({ event: 'closed', repr: null })
    expect(python.run("thrown = gen(); thrown.throw(ValueError('early'))").stderr).toContain('ValueError: early')
    expect(lastOf('thrown')).toEqual({ event: 'raised', repr: "ValueError('early')" })
    python.run('async def job():\n    return 1\n')
    python.run('co = job(); co.close()')
    expect(lastOf('co')).toEqual({ event: 'closed', repr: null })
  })

  test('the newest object has the highest serial, and only user-bound names are listed', () => {
    python.run('def gen():\n    yield 1\n')
    python.run('a = gen()\nx = 3\nimport os')
    const first = python.run('b = gen()').outcome
    const serial = (outcome: typeof first, name: string): number =>
      outcome.inspectables.find((item) => item.name === name)!.serial
    expect(serial(first, 'b')).toBeGreaterThan(serial(first, 'a'))
    expect(serial(first, 'a')).toBeGreaterThan(serial(first, 'gen'))
    // Rebinding a name to a new object makes it the newest; an alias of an old one does not.
    const again = python.run('a = gen()\nc = b').outcome
    expect(serial(again, 'a')).toBeGreaterThan(serial(again, 'b'))
    expect(serial(again, 'c')).toBe(serial(again, 'b'))
    expect(again.names).toEqual(['gen', 'a', 'x', 'os', 'b', 'c'])
    expect(python.reset().names).toEqual([])
  })

  test('each generator shows the source of the input it came from', () => {
    python.run('ge1 = (n for n in [1, 2])')
    python.run('total = sum(b for b in range(5))')
    python.run('ge4 = (a for a in "xy")')
    python.run('def gen():\n    yield 1\n')
    python.run('old = gen()')
    const { outcome } = python.run('def gen():\n    yield 2\n')
    expect(outcome.objects.map((object) => [object.name, object.line, object.source])).toEqual([
      ['ge1', 1, 'ge1 = (n for n in [1, 2])'],
      ['ge4', 1, 'ge4 = (a for a in "xy")'],
      ['old', 1, 'def gen():']
    ])
    expect(python.run('next(old)', 'old').outcome.resume?.resumedStack.at(-1)).toMatchObject({
      function: 'gen',
      line: 2,
      source: 'yield 1'
    })
  })

  test('reset forgets every name', () => {
    python.run('x = 1')
    python.reset()
    expect(python.run('x').stderr).toContain("NameError: name 'x' is not defined")
  })
})

describe('internals', () => {
  test('the lecture’s function attributes table, __code__ and dis', () => {
    python.run(
      'def make_adder(n=1):\n    """Returns a function that adds n."""\n    def add(x):\n        return x + n\n    return add\n'
    )
    python.run('add2 = make_adder(2)')
    const report = python.internals<Report>('add2')
    expect(report.kind).toBe('function')
    expect(report.signature).toBe('add(x)')
    expect(report.attributes.map((row) => row.attribute)).toEqual([
      '__doc__',
      '__name__',
      '__dict__',
      '__code__',
      '__defaults__',
      '__globals__',
      '__closure__'
    ])
    const value = (attribute: string): string | undefined =>
      report.attributes.find((row) => row.attribute === attribute)?.value
    expect(value('__name__')).toBe("'add'")
    expect(value('__closure__')).toBe('(1 cells) n = 2')
    expect(value('__globals__')).toMatch(/^the console's global namespace \(__main__\.__dict__\)/)
    expect(withoutAddresses(value('__code__')!)).toBe('<code object add at 0x…, file "<stdin>", line 3>')
    expect(report.code.find((row) => row.attribute === 'co_freevars')?.value).toBe("('n',)")
    expect(report.bytecode).toContain('LOAD_DEREF')

    const maker = python.internals<Report>('make_adder')
    expect(maker.attributes.find((row) => row.attribute === '__doc__')?.value).toBe("'Returns a function that adds n.'")
    expect(maker.attributes.find((row) => row.attribute === '__defaults__')?.value).toBe('(1,)')
  })

  test('a suspended generator: its frame, where it resumes, and that it is off the stack', () => {
    python.run(`${GEN_107}\n`)
    python.run('g = gen_107()\nnext(g)')
    const report = python.internals<Report>('g')
    expect(report.kind).toBe('generator')
    expect(report.state).toBe('suspended')
    expect(report.frame).toMatchObject({ function: 'gen_107', line: 3, source: 'yield 1', back: 'None', locals: [] })
    expect(report.code.find((row) => row.attribute === 'co_flags')?.value).toContain('GENERATOR')
    expect(report.bytecode).toMatch(/-->/)
    expect(report.suspendedFrames).toMatchObject([
      { owner: 'g', function: 'gen_107', state: 'suspended', back: 'None' }
    ])
    expect(python.internals('nothing')).toEqual({ name: 'nothing', error: "NameError: name 'nothing' is not defined" })
  })
})
