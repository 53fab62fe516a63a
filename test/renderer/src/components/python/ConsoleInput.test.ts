/**
 * The console's input while Python decides whether the code is complete: keys typed meanwhile are
 * held and applied after the answer, in order. The completeness check is a promise each test
 * answers, so the timing a fast typist produces is reproduced exactly.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import ConsoleInput from '@renderer/components/python/ConsoleInput.vue'
import { usePythonStore } from '@renderer/stores/python'

interface Check {
  source: string
  answer(complete: boolean): Promise<void>
}

let checks: Check[]
let submitted: string[]
let wrapper: VueWrapper | undefined

beforeEach(() => {
  localStorage.clear()
  setActivePinia(createPinia())
  checks = []
  submitted = []
  const python = usePythonStore()
  python.isComplete = (source: string) =>
    new Promise<boolean>((resolve) => {
      checks.push({
        source,
        answer: async (complete) => {
          resolve(complete)
          await flushPromises()
        }
      })
    })
  python.submit = (source: string) => {
    submitted.push(source)
    return Promise.resolve(undefined)
  }
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
})

/** The n-th completeness check asked so far (failing the test if it was never asked). */
function check(index: number): Check {
  const asked = checks[index]
  expect(asked, `completeness check ${index + 1}`).toBeDefined()
  return asked as Check
}

function input(): HTMLTextAreaElement {
  wrapper ??= mount(ConsoleInput, { attachTo: document.body })
  return wrapper.find('textarea').element as HTMLTextAreaElement
}

/** Presses a key as a browser would: the handler sees it first, and unless it prevents the default a character is typed at the caret. */
function press(key: string, modifiers: { shiftKey?: boolean; ctrlKey?: boolean } = {}): void {
  const area = input()
  const event = new KeyboardEvent('keydown', { key, ...modifiers, bubbles: true, cancelable: true })
  area.dispatchEvent(event)
  if (event.defaultPrevented || key.length !== 1) return
  const { selectionStart, selectionEnd, value } = area
  area.value = value.slice(0, selectionStart) + key + value.slice(selectionEnd)
  area.setSelectionRange(selectionStart + 1, selectionStart + 1)
  area.dispatchEvent(new Event('input'))
}

function typeText(text: string): void {
  for (const key of text) press(key)
}

describe('keys typed while Python checks whether the code is complete', () => {
  test('an open block typed fast: the Enter breaks the line before the next statement', async () => {
    typeText('try:')
    press('Enter')
    typeText('while True:')
    expect(checks.map((check) => check.source)).toEqual(['try:'])
    expect(input().value).toBe('try:') // nothing applied before the answer

    await check(0).answer(false)
    expect(input().value).toBe('try:\n    while True:')

    press('Enter')
    expect(check(1).source).toBe('try:\n    while True:')
    await check(1).answer(false)
    expect(input().value).toBe('try:\n    while True:\n        ')
    expect(submitted).toEqual([])
  })

  test('a complete statement runs, and what was typed after it starts the next input', async () => {
    typeText('x = 1')
    press('Enter')
    typeText('y')
    await check(0).answer(true)
    expect(submitted).toEqual(['x = 1'])
    expect(input().value).toBe('y')
    expect(input().selectionStart).toBe(1)

    typeText(' = 2') // after the answer, typing goes straight in
    expect(input().value).toBe('y = 2')
  })

  test('a second Enter typed ahead waits for its own check, and the keys after it for that one', async () => {
    typeText('for i in range(3):')
    press('Enter')
    typeText('print(i)')
    press('Enter')
    typeText('z')
    press('Backspace')
    typeText('q')
    expect(checks).toHaveLength(1)

    await check(0).answer(false)
    expect(checks.map((check) => check.source)).toEqual(['for i in range(3):', 'for i in range(3):\n    print(i)'])
    expect(input().value).toBe('for i in range(3):\n    print(i)')

    await check(1).answer(false)
    expect(input().value).toBe('for i in range(3):\n    print(i)\n    q')
    expect(submitted).toEqual([])
  })

  test('Ctrl+Enter typed ahead runs everything typed before it', async () => {
    typeText('def f():')
    press('Enter')
    typeText('return 1')
    press('Enter', { ctrlKey: true })
    await check(0).answer(false)
    expect(submitted).toEqual(['def f():\n    return 1'])
    expect(input().value).toBe('')
  })

  test('while Python cannot answer yet (loading or running code), a note says the keys wait', async () => {
    const python = usePythonStore()
    const waiting = () => wrapper!.find('[data-testid=console-waiting]').exists()
    typeText('a = 1')
    press('Enter')
    typeText('b')
    await flushPromises()
    expect(waiting()).toBe(false) // Python is idle: the answer comes at once, no note to flash
    await check(0).answer(true)

    python.status = 'loading'
    typeText(' = 2')
    press('Enter')
    expect(waiting()).toBe(false) // nothing held yet
    typeText('c')
    await flushPromises()
    expect(waiting()).toBe(true)
    await check(1).answer(true)
    expect(waiting()).toBe(false)
    expect(submitted).toEqual(['a = 1', 'b = 2'])
    expect(input().value).toBe('c')
  })
})
