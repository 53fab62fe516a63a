/**
 * The Step tab: a trace imported from a file (hand-written, test/support/traceFixtures.ts) stepped
 * with the buttons and keys, bad files refused, the trace exported; and programs recorded by the
 * real recorder on Pyodide in-process (pythonInProcess.ts), from an example and from the console.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { nextTick } from 'vue'
import PythonConsole from '@renderer/components/python/PythonConsole.vue'
import TraceView from '@renderer/views/TraceView.vue'
import { useNavigationStore } from '@renderer/stores/navigation'
import { usePythonStore } from '@renderer/stores/python'
import { useTraceStore } from '@renderer/stores/trace'
import { parseTraceJson } from '@shared/trace'
import { inProcessClient } from '../../../support/pythonInProcess'
import { delegateTrace, gen107Trace } from '../../../support/traceFixtures'
import { installInProcessLab } from '../../../support/inProcessLab'
import { until } from '../../../support/until'

const mounted: VueWrapper[] = []

function mountView(): VueWrapper {
  const wrapper = mount(TraceView, { attachTo: document.body })
  mounted.push(wrapper)
  return wrapper
}

/** What the user picks in main's open dialog, in order (installInProcessLab). */
const dialogAnswers: string[] = []
let scratch: string

/** Import…: `text` saved as `name`, picked in main's dialog, read by main's importFile job. */
async function importFile(view: VueWrapper, text: string, name: string): Promise<void> {
  const path = join(scratch, name)
  writeFileSync(path, text)
  dialogAnswers.push(path)
  await view.find('[data-testid=trace-import]').trigger('click')
  // Shown, or refused: every refusal names the file.
  await until(
    () => useTraceStore().origin === name || (useTraceStore().problem ?? '').includes(name),
    `${name} to be read`
  )
}

/** The editor line marked as the current (or previous) step's, as written. */
function markedLine(view: VueWrapper, which: 'current' | 'previous'): string | null {
  return view.find(`.cm-step-${which}`).element.textContent
}

function counter(view: VueWrapper): string {
  return view.find('[data-testid=step-counter]').text().replace(/\s+/g, ' ')
}

/** What the diagram's place says instead of a step, paragraph by paragraph. */
function noStepsText(view: VueWrapper): string[] {
  return view.findAll('[data-testid=trace-no-steps] p').map((paragraph) => paragraph.text())
}

async function press(key: string, target: EventTarget = document.body): Promise<void> {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }))
  await flushPromises()
}

let lab: ReturnType<typeof installInProcessLab>
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'yield-lab-trace-view-'))
  lab = installInProcessLab({ dialogAnswers })
  setActivePinia(createPinia())
  usePythonStore().attach(inProcessClient())
  useNavigationStore().show('trace')
})
afterEach(async () => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount()
  await lab.jobs.closeAll()
  rmSync(scratch, { recursive: true, force: true })
  dialogAnswers.length = 0
  vi.restoreAllMocks()
})

describe('a trace from a file', () => {
  test('before any trace: the empty state, and nothing to step', () => {
    const view = mountView()
    expect(view.find('[data-testid=trace-empty]').text()).toContain('No trace yet')
    expect(counter(view)).toBe('No trace yet')
    for (const id of ['step-first', 'step-back', 'step-forward', 'step-last', 'step-next-yield', 'trace-export-json'])
      expect(view.find(`[data-testid=${id}]`).attributes('disabled'), id).toBeDefined()
    // The editor offers a lecture example to start from.
    expect(view.find('.cm-content').text()).toContain('def gen_107():')
  })

  test('a module’s call event, which CPython puts at line 0, is said to come before its first line', async () => {
    const view = mountView()
    const trace = gen107Trace()
    trace.steps[0] = { ...trace.steps[0]!, event: 'call', line: 0 }
    trace.steps[0].stack = trace.steps[0].stack.map((frame) => ({ ...frame, line: 0 }))
    await importFile(view, JSON.stringify(trace), 'line0.json')
    expect(counter(view)).toBe('Step 1 of 16 · before its first line · call in <module>')
    expect(view.find('[data-testid=trace-diagram]').text()).toContain('before its first line')
    expect(view.find('[data-testid=trace-diagram]').text()).not.toContain('line 0')
    expect(view.find('[data-testid="frame-<module>"] title').text()).toBe('<module>, current · before its first line')
  })

  test('steps forward and back with buttons and keys; the suspended frame waits greyed beside its generator', async () => {
    const view = mountView()
    await importFile(view, JSON.stringify(gen107Trace()), 'gen107.json')
    expect(counter(view)).toBe('Step 1 of 16 · line 1 · line in <module>')
    expect(markedLine(view, 'current')).toBe('def gen_107():')

    await view.find('[data-testid=step-next-yield]').trigger('click')
    expect(counter(view)).toBe('Step 6 of 16 · line 2 · yield in gen_107')
    expect(view.find('[data-testid=chip-yielded]').text()).toContain('yielded')
    expect(view.find('[data-testid=chip-yielded]').text()).toContain('1')
    expect(markedLine(view, 'current')).toBe('    yield 1')

    await press('ArrowRight')
    expect(counter(view)).toBe('Step 7 of 16 · line 8 · line in <module>')
    const suspended = view.find('[data-testid="frame-gen_107"]')
    expect(suspended.attributes('data-role')).toBe('suspended')
    expect(suspended.classes()).toContain('suspended')
    expect(suspended.find('title').text()).toBe('gen_107 (a generator’s frame), suspended · line 2')
    expect(view.find('[data-testid="frame-<module>"]').attributes('data-role')).toBe('current')
    expect(view.find('[data-testid=object-o2]').attributes('data-state')).toBe('GEN_SUSPENDED')
    expect(markedLine(view, 'current')).toBe('print(list(g))')
    expect(markedLine(view, 'previous')).toBe('    yield 1')
    expect(view.find('[data-testid=trace-output]').text()).toBe('1')

    await press('ArrowRight')
    expect(view.find('[data-testid="frame-gen_107"]').attributes('data-role')).toBe('current')
    expect(view.find('[data-testid=chip-sent]').text()).toContain('None')
    await press('ArrowLeft')
    await press('ArrowLeft')
    expect(counter(view)).toBe('Step 6 of 16 · line 2 · yield in gen_107')
    await press('End')
    expect(counter(view)).toBe('Step 16 of 16 · line 8 · return in <module>')
    expect(view.find('[data-testid=object-o2]').attributes('data-state')).toBe('GEN_CLOSED')
    expect(view.find('[data-testid="frame-gen_107"]').exists()).toBe(false)
    expect(view.find('[data-testid=trace-output]').text()).toBe('1\n[0, 7]')
    expect(view.find('[data-testid=step-forward]').attributes('disabled')).toBeDefined()
    await press('Home')
    expect(counter(view)).toContain('Step 1 of 16')
    expect(view.find('[data-testid=trace-output]').text()).toBe('(nothing printed yet)')

    // Keys typed into the editor edit the program; they do not step.
    await press('ArrowRight', view.find('.cm-content').element)
    expect(counter(view)).toContain('Step 1 of 16')
    // The slider goes anywhere.
    await view.find('[data-testid=step-slider]').setValue('12')
    expect(counter(view)).toBe('Step 13 of 16 · line 4 · yield in gen_107')
    // The step keys work on the slider too: it is no field to type in.
    await press('Y', view.find('[data-testid=step-slider]').element)
    expect(counter(view)).toBe('Step 11 of 16 · line 3 · resume in gen_107')
    await press('ArrowRight', view.find('[data-testid=step-slider]').element)
    expect(counter(view)).toContain('Step 12 of 16')
    expect(view.findAll('[data-testid=step-marks] .mark.yield')).toHaveLength(3)
  })

  test('shows the exception and its traceback at the step where it happens', async () => {
    const view = mountView()
    await importFile(view, JSON.stringify(delegateTrace()), 'delegate.json')
    expect(view.find('[data-testid=trace-error]').exists()).toBe(false)
    expect(view.find('[data-testid=trace-error-ahead]').text()).toContain('ValueError')
    await press('ArrowRight')
    const error = view.find('[data-testid=trace-error]')
    expect(error.text()).toContain('ValueError: done')
    expect(error.text()).toContain('line 7, in outer')
  })

  test('a trace file with no steps and no error says so in the counter and the diagram', async () => {
    const view = mountView()
    await importFile(view, JSON.stringify({ ...gen107Trace(), steps: [] }), 'nothing.json')
    expect(useTraceStore().origin).toBe('nothing.json')
    expect(noStepsText(view)).toEqual(['The trace has no steps.', 'Record the program, or import another trace.'])
    expect(counter(view)).toBe('No steps')
  })

  test('a trace whose output was cut says so, though the program finished', async () => {
    const view = mountView()
    const cut = gen107Trace()
    cut.note = 'The program printed 9,000,001 more characters than the trace keeps.'
    await importFile(view, JSON.stringify(cut), 'cut.json')
    expect(view.find('[data-testid=trace-truncated]').text()).toBe(cut.note)
  })

  test('a file that is not a trace is refused with the reason, and the trace shown stays', async () => {
    const view = mountView()
    await importFile(view, JSON.stringify(gen107Trace()), 'good.json')
    await importFile(view, '{"format": "yield-lab-sweep/2"}', 'sweep.json')
    expect(view.find('[data-testid=trace-problem]').text()).toBe(
      'sweep.json could not be opened: This is not a Yield Lab trace: its "format" is not yield-lab-trace/1.'
    )
    const damaged = gen107Trace()
    damaged.steps[3]!.stack[1]!.line = -2
    await importFile(view, JSON.stringify(damaged), 'damaged.json')
    expect(view.find('[data-testid=trace-problem]').text()).toMatch(
      /^damaged\.json could not be opened: This Yield Lab trace is damaged: steps\.3\.stack\.1\.line: /
    )
    await importFile(view, 'not json', 'notes.txt')
    expect(view.find('[data-testid=trace-problem]').text()).toContain(
      'notes.txt could not be opened: This is not a Yield Lab trace: it is not JSON'
    )
    expect(useTraceStore().origin).toBe('good.json')
    expect(counter(view)).toContain('of 16')
  })

  test('exports the trace as JSON that imports back the same', async () => {
    const view = mountView()
    await importFile(view, JSON.stringify(gen107Trace()), 'gen107.json')
    const blobs: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob)
      return 'blob:trace'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined)
    await view.find('[data-testid=trace-export-json]').trigger('click')
    expect(blobs).toHaveLength(1)
    expect(parseTraceJson(await blobs[0]!.text())).toEqual(parseTraceJson(JSON.stringify(gen107Trace())))
  })
})

describe('recording with Python', () => {
  test('a lecture example from the menu is recorded and stepped', async () => {
    const view = mountView()
    await view.find('[data-testid=examples-button]').trigger('click')
    await view.find('[data-example=gen-107]').trigger('click')
    const store = useTraceStore()
    await until(() => store.status === 'ready', 'the example to be recorded', { timeoutMs: 60_000 })
    expect(store.problem).toBeUndefined()
    expect(store.origin).toBe('recorded')
    const events = store.trace!.steps.map((step) => step.event)
    expect(events.filter((event) => event === 'yield').length).toBeGreaterThanOrEqual(3)
    await view.find('[data-testid=step-next-yield]').trigger('click')
    expect(counter(view)).toContain('yield in gen_107')
    expect(view.find('[data-testid=chip-yielded]').text()).toContain('1')
  }, 90_000)

  test('a syntax error is shown at once, with nothing to step: the counter and the diagram say it did not run', async () => {
    const view = mountView()
    const store = useTraceStore()
    await store.open('def broken(:\n    pass\n')
    expect(store.status).toBe('ready')
    expect(noStepsText(view)).toEqual([
      'The program did not run.',
      'Python refused it before its first line: the error is under the program.'
    ])
    expect(view.find('[data-testid=trace-empty]').exists()).toBe(false)
    expect(view.find('[data-testid=trace-error]').text()).toContain('SyntaxError')
    expect(counter(view)).toBe('Did not run: SyntaxError')
  }, 90_000)

  test('a recording interrupted before its first line says it was stopped, not refused', async () => {
    const view = mountView()
    await usePythonStore().start()
    const store = useTraceStore()
    const recorded = store.open('print("never")\n')
    await store.interrupt() // before the worker has started the program
    await recorded
    expect(store.problem).toBeUndefined()
    expect(store.trace!.steps).toHaveLength(0)
    expect(noStepsText(view)).toEqual([
      'The program did not run.',
      'The recording was stopped before its first line: the note under the program says why.'
    ])
    expect(view.find('[data-testid=trace-truncated]').text()).toBe('Recording was interrupted after 0 steps.')
    expect(view.find('[data-testid=trace-error]').text()).toContain('KeyboardInterrupt')
    expect(counter(view)).toBe('Did not run: stopped before its first line')
  }, 90_000)

  test('Interrupt while Python loads cancels the recording, says it never started, and Python records after', async () => {
    const view = mountView()
    const store = useTraceStore()
    const recorded = store.open('print("recorded")\n')
    await nextTick()
    expect(view.find('[data-testid=trace-record]').text()).toBe('Loading Python…')
    await view.find('[data-testid=trace-interrupt]').trigger('click')
    await recorded
    expect(view.find('[data-testid=trace-problem]').text()).toBe(
      'Interrupted before it started: Python was still loading.'
    )
    expect(store.trace).toBeUndefined()
    await store.record()
    expect(store.problem).toBeUndefined()
    expect(store.trace!.stdout).toBe('recorded\n')
  }, 90_000)

  test('“Step through this” in the console opens the typed code in the Step tab, recorded', async () => {
    const console = mount(PythonConsole, { attachTo: document.body })
    mounted.push(console)
    const view = mountView()
    useNavigationStore().show('python')
    await console.find('[data-testid=console-input]').setValue('def f():\n    yield 1\n\nprint(list(f()))\n')
    await console.find('[data-testid=console-step-through]').trigger('click')
    expect(useNavigationStore().active).toBe('trace')
    const store = useTraceStore()
    await until(() => store.status === 'ready', 'the console code to be recorded', { timeoutMs: 60_000 })
    expect(store.trace!.source).toBe('def f():\n    yield 1\n\nprint(list(f()))\n')
    expect(store.trace!.stdout).toBe('[1]\n')
    await press('End')
    expect(view.find('[data-testid=trace-output]').text()).toBe('[1]')
  }, 90_000)

  test('“Step through this” with nothing typed replays the session as it ran, prompts, typos and all', async () => {
    const console = mount(PythonConsole, { attachTo: document.body })
    mounted.push(console)
    mountView()
    useNavigationStore().show('python')
    const python = usePythonStore()
    await python.start()
    await python.submit("def gen():\n    print('Start')\n    yield 'A'\n    print('End')\n")
    await python.submit('g = gen()')
    await python.submit('next(g)')
    await python.submit('x = 1 +* 2') // a typo: a SyntaxError, nothing ran
    await python.submit('exit()') // SystemExit: the console goes on, and so does the replay
    await python.submit('next(g)') // prints End, then raises StopIteration
    await python.submit('from inspect import getgeneratorstate\nprint(getgeneratorstate(g))')
    await console.find('[data-testid=console-step-through]').trigger('click')
    expect(useNavigationStore().active).toBe('trace')
    const store = useTraceStore()
    await until(() => store.status === 'ready', 'the session to be recorded', { timeoutMs: 60_000 })
    expect(store.trace!.source).not.toMatch(/^(>>>|\.\.\.) /m)
    expect(store.trace!.source).not.toContain('+*')
    expect(store.trace!.error).toBeNull()
    expect(store.trace!.stdout).toBe('Start\nEnd\nGEN_CLOSED\n')
  }, 90_000)

  test('a recording asked for while console code runs waits for it, says so, and leaves it alone', async () => {
    const console = mount(PythonConsole, { attachTo: document.body })
    mounted.push(console)
    const view = mountView()
    const python = usePythonStore()
    await python.start()
    const typed = python.submit('print("console ran")')
    const store = useTraceStore()
    const recorded = store.open('print("recorded")\n')
    await flushPromises()
    // Not said to record: the console's code runs first, and the Step tab has nothing of its own to stop.
    expect(view.find('[data-testid=trace-record]').text()).toBe('Waiting for the console’s code…')
    const interrupt = view.find('[data-testid=trace-interrupt]')
    expect(interrupt.attributes('disabled')).toBeDefined()
    expect(interrupt.attributes('title')).toBe('The console’s code runs first: the Coroutines tab’s Interrupt stops it')
    await store.interrupt() // asked anyway: the console's code is not the Step tab's to stop
    expect((await typed)?.status).toBe('ok')
    expect(console.find('[data-testid=console-transcript]').text()).toContain('>>> print("console ran")\nconsole ran')
    await recorded
    expect(store.trace!.truncated).toBe(false)
    expect(store.trace!.stdout).toBe('recorded\n')
  }, 90_000)

  test('Interrupt in the Step tab stops its recording, not the console input waiting for it', async () => {
    const console = mount(PythonConsole, { attachTo: document.body })
    mounted.push(console)
    const python = usePythonStore()
    await python.start()
    const store = useTraceStore()
    const recorded = store.open('print("recorded")\n')
    const typed = python.submit('print("typed")')
    await flushPromises()
    expect(console.find('[data-testid=console-waiting]').exists()).toBe(true)
    await store.interrupt()
    await recorded
    expect(store.trace!.note).toBe('Recording was interrupted after 0 steps.')
    expect((await typed)?.status).toBe('ok')
    expect(console.find('[data-testid=console-transcript]').text()).toContain('>>> print("typed")\ntyped')
  }, 90_000)

  test('console input typed during a recording waits for it, said so, with nothing to interrupt', async () => {
    const console = mount(PythonConsole, { attachTo: document.body })
    mounted.push(console)
    const python = usePythonStore()
    await python.start()
    const store = useTraceStore()
    const recorded = store.open('for i in range(3):\n    print(i)\n')
    const input = console.find('[data-testid=console-input]')
    await input.setValue('print("typed")')
    await input.trigger('keydown', { key: 'Enter', ctrlKey: true })
    await flushPromises()
    // Said to wait, not to run: nothing of the console's is running to interrupt.
    expect(console.find('[data-testid=console-waiting]').text()).toContain('Waiting for the Step tab’s recording')
    expect(console.find('[data-testid=console-running]').exists()).toBe(false)
    expect(console.find('[data-testid=console-interrupt]').attributes('disabled')).toBeDefined()
    await recorded
    expect(store.trace!.truncated).toBe(false)
    expect(store.trace!.stdout).toBe('0\n1\n2\n')
    await until(() => !python.busy && python.queued === 0, 'the console input to run')
    expect(console.find('[data-testid=console-transcript]').text()).toContain('>>> print("typed")\ntyped')
  }, 90_000)
})
