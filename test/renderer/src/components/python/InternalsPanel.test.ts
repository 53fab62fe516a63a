/**
 * The Internals picker against the real Python side (Pyodide in-process): it follows the newest
 * function or generator, unless the user picked one; then it stays there until that name is gone
 * or the user asks to follow again.
 */
import { mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import InternalsPanel from '@renderer/components/python/InternalsPanel.vue'
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

describe('the Internals picker', { timeout: 30_000 }, () => {
  test('the section buttons name their regions only while the regions are shown', async () => {
    const internals = mount(InternalsPanel, { attachTo: document.body })
    mounted.push(internals)
    const buttons = (): Element[] => [...internals.element.querySelectorAll('[aria-pressed]')]
    expect(buttons()).toHaveLength(4)
    // Nothing to inspect yet: no region is in the page, so no button may point at one.
    expect(buttons().filter((button) => button.hasAttribute('aria-controls'))).toEqual([])

    await usePythonStore().submit('def gen_107():\n    yield 1\n')
    await until(() => usePythonStore().internals?.name === 'gen_107', 'Internals shows gen_107')
    await until(() => buttons().every((button) => button.hasAttribute('aria-controls')), 'buttons name regions')
    for (const button of buttons()) {
      const region = document.getElementById(button.getAttribute('aria-controls')!)
      expect(region?.getAttribute('role')).toBe('region')
    }
  })

  test('follows the newest object unless the user picked one', async () => {
    const internals = mount(InternalsPanel, { attachTo: document.body })
    mounted.push(internals)
    const python = usePythonStore()
    const select = (): HTMLSelectElement =>
      internals.find('[data-testid=internals-select]').element as HTMLSelectElement
    const shown = async (name: string): Promise<void> => {
      await until(() => python.internals?.name === name, `Internals shows ${name}`)
      expect(select().value).toBe(name)
    }

    await python.submit('def gen_107():\n    yield 1\n')
    await shown('gen_107')
    await python.submit('g = gen_107()')
    await shown('g')
    // Rebinding a name the picker already lists to a newer object, after a newer name: it follows.
    await python.submit('h = gen_107()')
    await shown('h')
    await python.submit('g = gen_107()')
    await shown('g')
    expect(internals.find('[data-testid=internals-follow]').exists()).toBe(false)

    // The user picks gen_107: newer objects no longer move the picker…
    await internals.find('[data-testid=internals-select]').setValue('gen_107')
    await shown('gen_107')
    await python.submit('k = gen_107()')
    await shown('gen_107')
    // …until they ask to follow again.
    const follow = internals.find('[data-testid=internals-follow]')
    expect(follow.text()).toBe('Follow newest (k)')
    await follow.trigger('click')
    await shown('k')
    await python.submit('m = gen_107()')
    await shown('m')

    // A picked name that goes away hands the picker back to the newest object.
    await internals.find('[data-testid=internals-select]').setValue('h')
    await python.submit('n = gen_107()')
    await shown('h')
    await python.submit('del h')
    await shown('n')
    expect(python.pinned).toBe(false)
  })
})
