/**
 * Live objects against the real Python side (Pyodide in-process): each card shows what its
 * generator last yielded, returned or raised, and a closed card collapses with its buttons disabled.
 */
import { mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import LiveObjectsPanel from '@renderer/components/python/LiveObjectsPanel.vue'
import { usePythonStore } from '@renderer/stores/python'
import { inProcessClient } from '../../../../support/pythonInProcess'
import { until } from '../../../../support/until'

const mounted: VueWrapper[] = []

beforeEach(() => {
  setActivePinia(createPinia())
  usePythonStore().attach(inProcessClient())
})
afterEach(() => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount()
})

function mountPanel(): VueWrapper {
  const wrapper = mount(LiveObjectsPanel, { attachTo: document.body })
  mounted.push(wrapper)
  return wrapper
}

async function press(objects: VueWrapper, name: string, action: string): Promise<void> {
  const python = usePythonStore()
  await objects.find(`[data-testid=object-${name}] [data-action=${action}]`).trigger('click')
  await until(() => !python.busy && python.queued === 0, `${name} ${action} ran`)
}

describe('Live objects cards', { timeout: 30_000 }, () => {
  test('show the last value yielded, the value returned, or the exception raised', async () => {
    const objects = mountPanel()
    const python = usePythonStore()
    await python.submit('def gen():\n    x = yield 1\n    yield x * 2\n    return "done"\n')
    await python.submit('g = gen()')
    const card = (): ReturnType<VueWrapper['find']> => objects.find('[data-testid=object-g]')
    const last = (): string => card().find('[data-testid=object-last]').text()
    expect(card().find('[data-testid=object-last]').exists()).toBe(false)

    await press(objects, 'g', 'next')
    expect(last()).toBe('last yielded 1')
    await card().find('[aria-label="Value to send into g (a Python expression)"]').setValue('21')
    await press(objects, 'g', 'send')
    expect(last()).toBe('last yielded 42')
    // Typed in the console rather than pressed: the card follows all the same.
    await python.submit('next(g)')
    expect(last()).toBe("returned 'done' (so next() raised StopIteration)")

    await python.submit('t = gen()\nnext(t)')
    await press(objects, 't', 'throw')
    expect(objects.find('[data-testid=object-t] [data-testid=object-last]').text()).toBe("raised ValueError('stop')")
    expect(objects.find('[data-testid=object-t] .last.raised .value').exists()).toBe(true)
  })

  test('a closed card collapses to its outcome, with its buttons disabled', async () => {
    const objects = mountPanel()
    const python = usePythonStore()
    await python.submit('def gen():\n    n = 1\n    yield n\n')
    await python.submit('c = gen()\nnext(c)')
    const card = (): ReturnType<VueWrapper['find']> => objects.find('[data-testid=object-c]')
    expect(card().classes()).not.toContain('closed')
    expect(card().findAll('button:disabled')).toHaveLength(0)
    expect(card().find('dl').exists()).toBe(true)

    await press(objects, 'c', 'close')
    expect(card().classes()).toContain('closed')
    expect(card().text()).toContain('GEN_CLOSED')
    expect(card().find('[data-testid=object-last]').text()).toBe('closed by close()')
    expect(card().text()).toContain('Closed: its frame is gone (gi_frame is None).')
    // Collapsed: no frame locals, no repr, no send/throw fields; next and close are disabled.
    expect(card().find('dl').exists()).toBe(false)
    expect(card().find('.repr').exists()).toBe(false)
    expect(card().findAll('input')).toHaveLength(0)
    const buttons = card().findAll('.buttons button')
    expect(buttons.map((button) => button.attributes('data-action'))).toEqual(['next', 'close'])
    expect(buttons.every((button) => button.attributes('disabled') !== undefined)).toBe(true)
    // Inspect still works on a closed generator.
    expect(card().find('.link').attributes('disabled')).toBeUndefined()
  })
})
