/**
 * Restart asks first when the namespace holds names the user bound, and not otherwise (Python:
 * the real one, in-process). Escape and Enter on the real dialog are checked in python.e2e.ts,
 * as happy-dom's <dialog> does not handle keys.
 */
import { mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import PythonConsole from '@renderer/components/python/PythonConsole.vue'
import { usePythonStore } from '@renderer/stores/python'
import { inProcessClient } from '../../../../support/pythonInProcess'
import { until } from '../../../../support/until'

const mounted: VueWrapper[] = []

beforeEach(() => {
  localStorage.clear()
  setActivePinia(createPinia())
  usePythonStore().attach(inProcessClient())
})
afterEach(() => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount()
})

function mountConsole(): VueWrapper {
  const wrapper = mount(PythonConsole, { attachTo: document.body })
  mounted.push(wrapper)
  return wrapper
}

describe('Restart', { timeout: 30_000 }, () => {
  test('asks first when names are defined, and Cancel keeps them', async () => {
    const console = mountConsole()
    const python = usePythonStore()
    await python.submit('def gen():\n    yield 1\n')
    await python.submit('g = gen()\nx = 1\nimport os, sys, time, json')
    const dialog = (): HTMLDialogElement => console.find('[data-testid=restart-dialog]').element as HTMLDialogElement
    expect(dialog().open).toBe(false)

    await console.find('[data-testid=console-restart]').trigger('click')
    expect(dialog().open).toBe(true)
    expect(console.find('#restart-detail').text()).toContain(
      'A fresh interpreter forgets the 7 names you defined: gen, g, x, os, sys, time and 1 more.'
    )
    // Enter answers it: the focused button is Restart.
    expect(document.activeElement).toBe(console.find('[data-testid=restart-confirm]').element)

    await console.find('[data-testid=restart-cancel]').trigger('click')
    expect(dialog().open).toBe(false)
    expect(python.status).toBe('ready')
    expect((await python.submit('x'))?.status).toBe('ok')

    await console.find('[data-testid=console-restart]').trigger('click')
    await console.find('[data-testid=restart-confirm]').trigger('click')
    expect(dialog().open).toBe(false)
    await until(() => python.status === 'ready', 'Python to restart')
    expect(python.names).toEqual([])
    expect(python.objects).toEqual([])
    expect((await python.submit('x'))?.status).toBe('error')
  })

  test('restarts at once when nothing would be lost', async () => {
    const console = mountConsole()
    const python = usePythonStore()
    await python.submit('1 + 1')
    expect(python.names).toEqual([])
    await console.find('[data-testid=console-restart]').trigger('click')
    expect((console.find('[data-testid=restart-dialog]').element as HTMLDialogElement).open).toBe(false)
    expect(python.status).toBe('loading')
    await until(() => python.status === 'ready', 'Python to restart')
    expect(console.find('[data-testid=console-transcript]').text()).toContain(
      'Python restarted: you asked for a fresh interpreter.'
    )
  })
})
