/**
 * The shadows of a sideways scroller: one on each edge past which content is hidden, none where
 * everything fits. happy-dom lays nothing out, so each case sets the scroller's sizes, then scrolls.
 */
import { mount } from '@vue/test-utils'
import { expect, test } from 'vitest'
import { h, nextTick } from 'vue'
import SidewaysScroller from '@renderer/components/SidewaysScroller.vue'

type Sizes = Pick<HTMLElement, 'scrollLeft' | 'clientWidth' | 'scrollWidth'>

/** The edges whose shadow shows once the scroller has these sizes. */
async function shadowsAt(sizes: Sizes): Promise<string[]> {
  const wrapper = mount(SidewaysScroller, {
    props: { label: 'Wide table' },
    slots: { default: () => h('table') },
    attachTo: document.body
  })
  const scroller = wrapper.get('[role=region]').element
  for (const [name, value] of Object.entries(sizes))
    Object.defineProperty(scroller, name, { configurable: true, value })
  scroller.dispatchEvent(new Event('scroll'))
  await nextTick()
  const shown = ['start', 'end'].filter((edge) => wrapper.get(`[data-testid=scroll-shadow-${edge}]`).isVisible())
  wrapper.unmount()
  return shown
}

test('a region named by its label, which the keyboard reaches', () => {
  const wrapper = mount(SidewaysScroller, { props: { label: 'Wide table' }, attachTo: document.body })
  expect(wrapper.get('[role=region]').attributes()).toMatchObject({ 'aria-label': 'Wide table', tabindex: '0' })
  wrapper.unmount()
})

test.each<[string, string[], Sizes]>([
  ['everything fits', [], { scrollLeft: 0, clientWidth: 500, scrollWidth: 500 }],
  ['at the start of wider content', ['end'], { scrollLeft: 0, clientWidth: 500, scrollWidth: 800 }],
  ['part-way', ['start', 'end'], { scrollLeft: 120, clientWidth: 500, scrollWidth: 800 }],
  [
    'at the end, short of it by a fraction of a pixel',
    ['start'],
    { scrollLeft: 299.5, clientWidth: 500, scrollWidth: 800 }
  ]
])('%s: shadows on the edges %j', async (_case, edges, sizes) => {
  expect(await shadowsAt(sizes)).toEqual(edges)
})
