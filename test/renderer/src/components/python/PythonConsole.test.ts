/**
 * The Coroutines tab's console, Live objects and Internals against the real Python side
 * (Pyodide in-process, see pythonInProcess.ts): the lecture's transcripts typed into the console,
 * the buttons' state transitions and echoed code, errors, history and huge outputs.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import InternalsPanel from '@renderer/components/python/InternalsPanel.vue'
import LiveObjectsPanel from '@renderer/components/python/LiveObjectsPanel.vue'
import PythonConsole from '@renderer/components/python/PythonConsole.vue'
import { COROUTINE_EXAMPLE, examples } from '@renderer/python/examples'
import { HISTORY_STORAGE_KEY } from '@renderer/python/history'
import { OUTPUT_LIMIT_CHARS } from '@renderer/python/pythonHost'
import { TRANSCRIPT_LIMIT_CHARS } from '@renderer/python/transcript'
import { usePythonStore } from '@renderer/stores/python'
import { coroutineExample, lectureSection } from '../../../../support/lecture'
import { until } from '../../../../support/until'
import { inProcessClient } from '../../../../support/pythonInProcess'

const mounted: VueWrapper[] = []

function mountAll(): { console: VueWrapper; objects: VueWrapper; internals: VueWrapper } {
  const wrappers = {
    console: mount(PythonConsole, { attachTo: document.body }),
    objects: mount(LiveObjectsPanel, { attachTo: document.body }),
    internals: mount(InternalsPanel, { attachTo: document.body })
  }
  mounted.push(...Object.values(wrappers))
  return wrappers
}

beforeEach(() => {
  localStorage.clear()
  setActivePinia(createPinia())
  usePythonStore().attach(inProcessClient())
})
afterEach(() => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount()
})

async function idle(): Promise<void> {
  const python = usePythonStore()
  await until(() => !python.busy && python.queued === 0, 'the console to finish running')
}

function transcriptOf(console: VueWrapper): string {
  return console.find('[data-testid=console-transcript]').element.textContent ?? ''
}

/** Types into the console's input and presses a key, as a person would. */
async function type(
  console: VueWrapper,
  code: string,
  key: { ctrlKey?: boolean; shiftKey?: boolean } = {}
): Promise<void> {
  const input = console.find('textarea')
  await input.setValue(code)
  const element = input.element as HTMLTextAreaElement
  element.setSelectionRange(code.length, code.length)
  await input.trigger('keydown', { key: 'Enter', ...key })
  await flushPromises()
}

describe('the console', { timeout: 30_000 }, () => {
  test('the lecture’s COROUTINE EXAMPLE, typed in, prints exactly the lecture’s output', async () => {
    const { console } = mountAll()
    const { program, output: lectureOutput } = coroutineExample()
    expect(COROUTINE_EXAMPLE).toBe(`${program}\n`)

    await type(console, COROUTINE_EXAMPLE, { ctrlKey: true })
    await idle()
    const transcript = transcriptOf(console)
    expect(transcript.startsWith('>>> from inspect import getgeneratorstate\n...\n... def coroutine():\n')).toBe(true)
    expect(transcript.endsWith(`... if __name__ == "__main__":\n...     main()\n...\n${lectureOutput}`)).toBe(true)
    expect(console.find('textarea').element.value).toBe('')
  })

  test('the namespace starts as empty as a fresh interpreter’s, named __main__', async () => {
    const { console } = mountAll()
    await type(console, "[name for name in dir() if not name.startswith('_')], __name__")
    await until(() => transcriptOf(console).endsWith("([], '__main__')\n"), 'the names')
  })

  test('the gen_107 example gives the lecture’s getgeneratorstate sequence', async () => {
    const { console } = mountAll()
    await usePythonStore().runExample(examples.find((example) => example.id === 'gen-107')!)
    const expected = lectureSection('gen_107 transcript').replace(
      '>>> g = gen_107()\n<generator object gen_107 at 0x7fe79f57d820>\n',
      '>>> g = gen_107()\n'
    )
    const ours = transcriptOf(console)
    expect(ours.replace(/ at 0x[0-9a-f]+/g, '')).toContain(expected.replace(/ at 0x[0-9a-f]+/g, ''))
  })

  test('every example of the Examples menu runs, failing only where the lecture shows an error', async () => {
    const python = usePythonStore()
    const expectedErrors: Record<string, number> = { 'send-too-early': 1, close: 1 }
    for (const example of examples.filter((candidate) => candidate.id !== 'runaway')) {
      python.attach(inProcessClient())
      const statuses = []
      for (const input of example.inputs) statuses.push((await python.submit(input))?.status)
      expect(statuses.filter((status) => status !== 'ok').length, example.id).toBe(expectedErrors[example.id] ?? 0)
    }
  })

  test('Enter continues an open block, auto-indents, and runs it after an empty line', async () => {
    const { console } = mountAll()
    const input = console.find('textarea')
    await type(console, 'def gen():')
    await until(() => (input.element as HTMLTextAreaElement).value === 'def gen():\n    ', 'a new, indented line')
    await type(console, 'def gen():\n    yield 1')
    await until(
      () => (input.element as HTMLTextAreaElement).value === 'def gen():\n    yield 1\n    ',
      'the block goes on'
    )
    expect(transcriptOf(console)).not.toContain('>>> def gen()')
    await type(console, 'def gen():\n    yield 1\n    ')
    await until(() => transcriptOf(console).includes('>>> def gen():\n...     yield 1\n...\n'), 'the block ran')
    await type(console, 'list(gen())')
    await until(() => transcriptOf(console).includes('>>> list(gen())\n[1]\n'), 'a complete line runs')
    await type(console, 'x = 1', { shiftKey: true })
    expect((input.element as HTMLTextAreaElement).value).toBe('x = 1\n')
  })

  test('errors: tracebacks like CPython’s, syntax errors, input(), packages that are not bundled', async () => {
    const { console } = mountAll()
    const python = usePythonStore()
    await python.submit('def f(x):\n    return 1/x\n')
    await python.submit('f(0)')
    await python.submit('x = 1 +* 2')
    await python.submit('input()')
    await python.submit('import numpy')
    const errors = console.findAll('.stderr').map((span) => span.element.textContent)
    expect(errors[0]).toBe(
      'Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>\n    f(0)\n    ~^^^\n  File "<stdin>", line 2, in f\n    return 1/x\n           ~^~\nZeroDivisionError: division by zero\n'
    )
    expect(errors[1]).toBe('  File "<stdin>", line 1\n    x = 1 +* 2\n           ^\nSyntaxError: invalid syntax\n')
    expect(errors[2]).toContain('input() cannot read from the Yield Lab console')
    expect(errors[3]).toContain(
      "Yield Lab runs offline and bundles only Python's standard library, so packages such as 'numpy' cannot be installed here."
    )
    expect((await python.submit('1 + 1'))?.status).toBe('ok')
  })

  test('a huge output is truncated with a notice and the transcript stays capped', async () => {
    const { console } = mountAll()
    const python = usePythonStore()
    const outcome = await python.submit("print('y' * 1_000_000)")
    expect(outcome?.status).toBe('ok')
    const stdout = console
      .findAll('.stdout')
      .map((span) => span.element.textContent)
      .join('')
    expect(stdout.length).toBe(OUTPUT_LIMIT_CHARS)
    expect(console.find('.notice').text()).toContain('800,001 more characters were printed but not shown')
    for (let i = 0; i < 3; i++) await python.submit("print('z' * 300_000)")
    expect(python.text.length).toBeLessThan(TRANSCRIPT_LIMIT_CHARS + 1000)
    expect(transcriptOf(console)).toContain('[earlier transcript removed to keep the console responsive]')
  })

  test('history: Up and Down walk it, it persists and survives a new session', async () => {
    const { console } = mountAll()
    await type(console, 'a = 1')
    await until(() => transcriptOf(console).includes('>>> a = 1'), 'a = 1 ran')
    await type(console, 'b = 2')
    await until(() => transcriptOf(console).includes('>>> b = 2'), 'b = 2 ran')
    expect(JSON.parse(localStorage.getItem(HISTORY_STORAGE_KEY)!)).toEqual(['a = 1', 'b = 2'])

    // A new session (as after restarting the app) reads the stored history.
    for (const wrapper of mounted.splice(0)) wrapper.unmount()
    setActivePinia(createPinia())
    usePythonStore().attach(inProcessClient())
    const fresh = mountAll().console
    const input = fresh.find('textarea')
    await input.setValue('draft')
    await input.trigger('keydown', { key: 'ArrowUp' })
    expect((input.element as HTMLTextAreaElement).value).toBe('b = 2')
    await input.trigger('keydown', { key: 'ArrowUp' })
    expect((input.element as HTMLTextAreaElement).value).toBe('a = 1')
    await input.trigger('keydown', { key: 'ArrowDown' })
    await input.trigger('keydown', { key: 'ArrowDown' })
    expect((input.element as HTMLTextAreaElement).value).toBe('draft')
  })

  test('the Examples menu opens from the keyboard and runs the chosen example', async () => {
    const { console } = mountAll()
    const button = console.find('[data-testid=examples-button]')
    await button.trigger('keydown', { key: 'ArrowDown' })
    const items = console.findAll('[role=menuitem]')
    expect(items.map((item) => item.find('.title').text())).toEqual(examples.map((example) => example.title))
    expect(document.activeElement).toBe(items[0]!.element)
    await items[0]!.trigger('keydown', { key: 'ArrowDown' })
    expect(document.activeElement).toBe(items[1]!.element)
    await items[0]!.trigger('keydown', { key: 'Escape' })
    expect(console.find('[role=menu]').exists()).toBe(false)

    await button.trigger('click')
    await console.find('[data-example=send]').trigger('click')
    await idle()
    expect(transcriptOf(console)).toContain(
      ">>> y = c.send('Hello CS107/AC207')\nHello CS107/AC207\n>>> print(y)\nNone\n>>> c.close()\n"
    )
  })
})

describe('Live objects and Internals', { timeout: 30_000 }, () => {
  test('next, send, throw and close: state transitions, locals, and the Python line each runs', async () => {
    const { console, objects } = mountAll()
    const python = usePythonStore()
    expect(objects.find('[data-testid=objects-empty]').exists()).toBe(true)
    await python.submit(COROUTINE_EXAMPLE.replace(/if __name__[\s\S]*$/, ''))
    await python.submit('c = coroutine()')
    const card = (): ReturnType<VueWrapper['find']> => objects.find('[data-testid=object-c]')
    await until(() => card().exists(), 'c is listed')
    expect(card().text()).toContain('GEN_CREATED')

    await card().find('[data-action=send]').trigger('click')
    await idle()
    expect(transcriptOf(console)).toContain(">>> c.send('CS107')\nTraceback (most recent call last):")
    expect(transcriptOf(console)).toContain("TypeError: can't send non-None value to a just-started generator\n")
    expect(card().text()).toContain('GEN_CREATED')

    await card().find('[data-action=next]').trigger('click')
    await idle()
    expect(transcriptOf(console)).toContain('>>> next(c)\n0\n')
    expect(card().text()).toContain('GEN_SUSPENDED')
    expect(card().text()).toContain('paused at line 6: x = yield ncalls')
    expect(card().find('dl').text()).toBe('ncalls0')

    await card().find('[aria-label="Value to send into c (a Python expression)"]').setValue("'AC207'")
    await card().find('[data-action=send]').trigger('click')
    await idle()
    expect(transcriptOf(console)).toContain(">>> c.send('AC207')\ncoroutine(): AC207 (call id: 1)\n1\n")
    expect(card().find('dl').text()).toBe("ncalls1x'AC207'")

    await card().find('[data-action=throw]').trigger('click')
    await idle()
    expect(transcriptOf(console)).toMatch(
      />>> c\.throw\(ValueError\('stop'\)\)\nTraceback \(most recent call last\):\n[\s\S]*ValueError: stop\n$/
    )
    expect(card().text()).toContain('GEN_CLOSED')

    await python.submit('c = coroutine()\nnext(c)')
    await card().find('[data-action=close]').trigger('click')
    await idle()
    expect(transcriptOf(console)).toMatch(/>>> c\.close\(\)\n$/)
    expect(card().text()).toContain('GEN_CLOSED')
    expect(python.history.slice(-2)).toEqual(['c = coroutine()\nnext(c)', 'c.close()'])
  })

  test('Inspect opens a generator in Internals: its frame off the stack, and the stack when it resumed', async () => {
    const { objects, internals } = mountAll()
    const python = usePythonStore()
    await python.runExample(examples.find((example) => example.id === 'gen-107')!)
    await python.submit('g = gen_107()')
    await objects.find('[data-testid=object-g] [data-action=next]').trigger('click')
    await idle()
    await objects.find('[data-testid=object-g] .link').trigger('click')
    await until(() => python.internals?.name === 'g', 'g inspected')
    expect(internals.find('.summary').text()).toContain('GEN_SUSPENDED')
    expect(internals.find('[data-testid=bytecode]').text()).toContain('-->')
    await internals.find('#internals-show-frames').trigger('click')
    expect(internals.find('[data-testid=resumed-stack]').text()).toMatch(
      /^gen_107\s*<stdin>:3\s*yield 1\s*<module>\s*<stdin>:1\s*next\(g\)$/
    )
    expect(internals.find('[data-testid=suspended-frames]').text()).toContain('g.gi_frame')
    expect(internals.find('[data-testid=suspended-frames]').text()).toContain('f_back = None')
  })

  test('Internals shows the lecture’s function attributes table', async () => {
    const { internals } = mountAll()
    const python = usePythonStore()
    await python.runExample(examples.find((example) => example.id === 'function-attributes')!)
    await python.inspect('make_adder')
    await until(() => internals.find('[data-testid=attributes-table]').exists(), 'the table')
    const rows = internals
      .findAll('[data-testid=attributes-table] tbody tr')
      .map((row) => row.findAll('td').map((cell) => cell.text()))
    expect(rows.map((row) => row[0])).toEqual([
      'make_adder.__doc__',
      'make_adder.__name__',
      'make_adder.__dict__',
      'make_adder.__code__',
      'make_adder.__defaults__',
      'make_adder.__globals__',
      'make_adder.__closure__'
    ])
    expect(rows[0]).toEqual(['make_adder.__doc__', 'Documentation string', "'Returns a function that adds n.'"])
    expect(rows[4]).toEqual(['make_adder.__defaults__', 'Tuple containing the default arguments', '(1,)'])
  })
})
