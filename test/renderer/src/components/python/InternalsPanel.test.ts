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
