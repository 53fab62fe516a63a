import { describe, expect, test } from 'vitest'
import type { HeapObject } from '@shared/trace'
import {
  DIAGRAM_WIDTH,
  diagramShapeFor,
  fitHeader,
  fitText,
  labelWidthOf,
  layoutStep,
  MIN_SCALE,
  objectPlaces,
  OBJECTS_X
} from '@renderer/trace/diagramLayout'
import { countingTrace, delegateTrace, gen107Trace } from '../../../support/traceFixtures'

describe('layoutStep', () => {
  const trace = gen107Trace()
  const places = objectPlaces(trace)
  const at = (index: number) => layoutStep(trace.steps[index]!, places)

  test('a suspended generator frame is beside its generator object, in no caller’s stack', () => {
    const diagram = at(6) // <module> runs line 8 while gen_107 waits at its first yield
    const [current, suspended] = diagram.frames
    expect(current).toMatchObject({ title: '<module>', role: 'current', x: 12 })
    expect(suspended).toMatchObject({ title: 'gen_107', role: 'suspended', line: 2, generator: 'o2' })
    const generator = diagram.objects.find((object) => object.id === 'o2')!
    expect(generator).toMatchObject({ state: 'GEN_SUSPENDED', title: 'generator gen_107' })
    expect(suspended!.x).toBeGreaterThan(generator.x + generator.width)
    expect(suspended!.y).toBe(generator.y)
    const link = diagram.arrows.find((arrow) => arrow.kind === 'gi_frame')!
    expect(link.key).toBe('o2:gi_frame')
    // The arrow ends at the suspended frame's left edge.
    expect(link.head.x).toBeGreaterThan(generator.x + generator.width)
    expect(link.head.x).toBeLessThanOrEqual(suspended!.x)
  })

  test('a created generator’s frame waits beside it, not started', () => {
    const created = gen107Trace().steps[2]!
    const generator = created.heap['o2']!
    if (generator.type !== 'generator') throw new Error('o2 is gen_107’s generator')
    created.heap['o2'] = { ...generator, frame: 'f2' }
    created.suspended = [{ id: 'f2', generator: 'o2', function: 'gen_107', line: 1, locals: {} }]
    const [, waiting] = layoutStep(created, places).frames
    expect(waiting).toMatchObject({ title: 'gen_107', role: 'suspended', notStarted: true })
    expect(at(6).frames[1]).toMatchObject({ role: 'suspended', notStarted: false })
  })

  test('on resume the frame is back in the stack, on top of the frame that resumed it', () => {
    const diagram = at(7)
    expect(diagram.frames.map((frame) => [frame.title, frame.role])).toEqual([
      ['gen_107', 'current'],
      ['<module>', 'running']
    ])
    expect(diagram.frames[0]!.y).toBeLessThan(diagram.frames[1]!.y)
    expect(diagram.frames[0]!.x).toBe(diagram.frames[1]!.x)
    // gi_frame now leads left, to the running frame.
    const link = diagram.arrows.find((arrow) => arrow.kind === 'gi_frame')!
    expect(link.head.x).toBeLessThan(OBJECTS_X)
    expect(diagram.chips).toEqual([expect.objectContaining({ label: 'sent', text: 'None' })])
  })

  test('a value leaving by yield is labelled yielded, one leaving by return is not', () => {
    expect(at(5).chips).toEqual([expect.objectContaining({ label: 'yielded', text: '1', target: null })])
    expect(at(14).chips).toEqual([expect.objectContaining({ label: 'returned', text: 'None' })])
    expect(at(4).chips).toEqual([])
  })

  test('a small tuple or list of primitives is written out in its chip; a bigger one by its repr', () => {
    const returning = (object: Omit<HeapObject, 'type_name' | 'repr'>): string => {
      const step = structuredClone(trace.steps[14]!)
      step.value = { kind: 'ref', id: 'o9' }
      step.heap['o9'] = {
        type_name: object.type,
        repr: `<${object.type} of ${object.items.length}>`,
        ...object
      } as HeapObject
      const chip = layoutStep(step, objectPlaces(trace)).chips[0]!
      expect(chip.target).toBe('o9')
      return chip.text
    }
    const none = { kind: 'none', repr: 'None' } as const
    expect(returning({ type: 'tuple', items: [none, none], hidden: 0 })).toBe('(None, None)')
    expect(returning({ type: 'tuple', items: [none], hidden: 0 })).toBe('(None,)')
    expect(returning({ type: 'list', items: [{ kind: 'int', repr: '1' }], hidden: 0 })).toBe('[1]')
    expect(returning({ type: 'tuple', items: [{ kind: 'ref', id: 'o2' }], hidden: 0 })).toBe('<tuple of 1>')
    expect(returning({ type: 'list', items: [none], hidden: 40 })).toBe('<list of 1>')
  })

  test('names point at their objects', () => {
    const diagram = at(6)
    const module = diagram.frames[0]!
    expect(module.rows).toEqual([
      { label: 'gen_107', text: '', target: 'o1' },
      { label: 'g', text: '', target: 'o2' }
    ])
    const toGenerator = diagram.arrows.find((arrow) => arrow.key === 'f1:g')!
    const generator = diagram.objects.find((object) => object.id === 'o2')!
    expect(toGenerator.kind).toBe('reference')
    expect(toGenerator.path).toMatch(/^M[\d.]+,[\d.]+ Q[\d.]+,[\d.]+ [\d.]+,[\d.]+$/)
    expect(toGenerator.head.x).toBeGreaterThanOrEqual(generator.x - 5)
  })

  test('objects keep their places from step to step', () => {
    const seen = new Map<string, number>()
    trace.steps.forEach((_, index) => {
      for (const object of at(index).objects) {
        expect(object.y, `${object.id} at step ${index}`).toBe(seen.get(object.id) ?? object.y)
        seen.set(object.id, object.y)
      }
    })
    expect([...seen.keys()].sort()).toEqual(['o1', 'o2'])
  })

  test('yield from is an arrow from the delegating generator to its delegate; a closed generator has no frame', () => {
    const delegating = delegateTrace()
    const delegatingPlaces = objectPlaces(delegating)
    const first = layoutStep(delegating.steps[0]!, delegatingPlaces)
    const chain = first.arrows.find((arrow) => arrow.kind === 'yield from')!
    expect(chain).toMatchObject({ key: 'o1:yieldfrom', label: 'yield from' })
    const inner = first.objects.find((object) => object.id === 'o2')!
    expect(chain.head.y).toBeGreaterThanOrEqual(inner.y - 5)
    expect(first.frames.filter((frame) => frame.role === 'suspended').map((frame) => frame.title)).toEqual([
      'outer',
      'inner'
    ])

    const second = layoutStep(delegating.steps[1]!, delegatingPlaces)
    const closed = second.objects.find((object) => object.id === 'o2')!
    expect(closed.state).toBe('GEN_CLOSED')
    expect(closed.rows).toEqual([{ label: 'gi_frame', text: 'None', target: null }])
    expect(second.frames.some((frame) => frame.generator === 'o2')).toBe(false)
    expect(second.arrows.some((arrow) => arrow.key === 'o2:gi_frame')).toBe(false)
  })

  test('long containers say how many items they hide, and everything fits the diagram’s width', () => {
    const long = countingTrace(400)
    const longPlaces = objectPlaces(long)
    const diagram = layoutStep(long.steps[399]!, longPlaces)
    const list = diagram.objects.find((object) => object.id === 'o2')!
    expect(list.rows).toHaveLength(8)
    expect(list.hidden).toBe(99 - 8)
    for (const box of [...diagram.frames, ...diagram.objects])
      expect(box.x + box.width).toBeLessThanOrEqual(diagram.width)
    // The list's lane is as tall as the list ever gets, so nothing under it moves as it grows.
    expect(longPlaces.y.get('o2')).toBe(layoutStep(long.steps[0]!, longPlaces).objects.find((o) => o.id === 'o2')!.y)
  })
})

describe('the narrow shape', () => {
  const trace = gen107Trace()
  const places = objectPlaces(trace)

  test('a suspended frame goes under the stack, below a title of its own, and its generator links to it', () => {
    const diagram = layoutStep(trace.steps[6]!, places, 'narrow')
    const [current, suspended] = diagram.frames
    expect(suspended).toMatchObject({ title: 'gen_107', role: 'suspended', x: current!.x, width: current!.width })
    const title = diagram.titles.find((candidate) => candidate.text === 'SUSPENDED FRAMES')!
    expect(title.x).toBe(current!.x)
    expect(title.y).toBeGreaterThan(current!.y + current!.height)
    expect(suspended!.y).toBeGreaterThan(title.y)
    // gi_frame leads left, from the generator to the frame's side.
    const link = diagram.arrows.find((arrow) => arrow.kind === 'gi_frame')!
    expect(link.head.x).toBeLessThan(OBJECTS_X)
    expect(link.head.x).toBeGreaterThan(suspended!.x + suspended!.width - 5)
    // The objects stay where the wide shape has them.
    expect(diagram.objects).toEqual(layoutStep(trace.steps[6]!, places).objects)
  })

  test('suspended frames follow their generators’ order, under the stack and what it yielded', () => {
    const delegating = delegateTrace()
    const first = delegating.steps[0]!
    first.suspended.reverse() // inner's frame first: the layout puts it after outer's, as their generators are
    first.event = 'yield'
    first.value = { kind: 'int', repr: '1' }
    const diagram = layoutStep(first, objectPlaces(delegating), 'narrow')
    expect(diagram.frames.map((frame) => [frame.title, frame.role])).toEqual([
      ['<module>', 'current'],
      ['outer', 'suspended'],
      ['inner', 'suspended']
    ])
    const [, outer, inner] = diagram.frames
    const chip = diagram.chips[0]!
    expect(outer!.y).toBeGreaterThan(chip.y + chip.height)
    expect(inner!.y).toBeGreaterThan(outer!.y + outer!.height)
  })

  test('everything fits its width; without suspended frames there is no title for them', () => {
    const long = countingTrace(8)
    const longPlaces = objectPlaces(long)
    const paused = layoutStep(long.steps[3]!, longPlaces, 'narrow')
    expect(paused.width).toBe(DIAGRAM_WIDTH.narrow)
    expect(paused.width).toBeLessThan(DIAGRAM_WIDTH.wide)
    for (const box of [...paused.frames, ...paused.objects, ...paused.chips])
      expect(box.x + box.width).toBeLessThanOrEqual(paused.width)
    expect(paused.titles.map((title) => title.text)).toEqual(['FRAMES', 'OBJECTS', 'SUSPENDED FRAMES'])
    const running = layoutStep(long.steps[4]!, longPlaces, 'narrow')
    expect(running.frames.map((frame) => frame.role)).toEqual(['current', 'running'])
    expect(running.titles.map((title) => title.text)).toEqual(['FRAMES', 'OBJECTS'])
  })
})

describe('diagramShapeFor', () => {
  test('the wide shape where its 12 px text is drawn at 10 px or more, else the narrow one', () => {
    for (let width = Math.ceil(DIAGRAM_WIDTH.narrow * MIN_SCALE); width <= 1600; width++)
      expect((12 * width) / DIAGRAM_WIDTH[diagramShapeFor(width)], `${width} px`).toBeGreaterThanOrEqual(10)
    expect(diagramShapeFor(560)).toBe('narrow') // the panel in a 900 px window
    expect(diagramShapeFor(715)).toBe('wide') // in a 1280 px one
  })
})

describe('fitText', () => {
  test('cuts what does not fit with an ellipsis, on one line', () => {
    expect(fitText('abc', 100)).toBe('abc')
    expect(fitText('a'.repeat(40), 72)).toBe(`${'a'.repeat(9)}…`)
    expect(fitText('two\n  lines', 200)).toBe('two lines')
  })
})

describe('labelWidthOf and fitHeader: a name is not cut where there is room for it', () => {
  const ref = (label: string) => ({ label, text: '', target: 'o1' })
  const value = (label: string, text: string) => ({ label, text, target: null })

  test('names take 42% of a box, more where a name needs it and the values leave room', () => {
    expect(labelWidthOf([ref('x'), value('i', '1')], 230)).toBe(97)
    // An arrow's dot beside it: the long name gets its width, and is not cut.
    const wide = labelWidthOf([ref('very_long_variable_name')], 230)
    expect(fitText('very_long_variable_name', wide - 10)).toBe('very_long_variable_name')
    // Long values keep their share: the name gives way.
    expect(labelWidthOf([ref('very_long_variable_name'), value('s', "'" + 'x'.repeat(60) + "'")], 230)).toBe(97)
    // However long the name, the values keep 20%.
    expect(labelWidthOf([ref('n'.repeat(100))], 230)).toBe(184)
  })

  test('a header cuts its caption before its title', () => {
    expect(fitHeader('<module>', 'before its first line', 202)).toEqual({
      title: '<module>',
      caption: 'before its first l…'
    })
    expect(fitHeader('countdown', 'line 3', 202)).toEqual({ title: 'countdown', caption: 'line 3' })
    // A title too long for the header is cut too, and keeps 60% of it.
    const both = fitHeader('f'.repeat(60), 'suspended · line 13', 192)
    expect(both.title).toBe(`${'f'.repeat(15)}…`)
    expect(both.caption).toBe('suspended…')
  })
})
