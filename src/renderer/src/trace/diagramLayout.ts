/**
 * Where everything of one step goes in the Step tab's diagram, in Python Tutor's layout: running
 * frames on the left (the current one on top), objects on the right, a suspended generator's
 * frame greyed beside its generator object, and arrows from names to objects. Where that is too
 * wide for the panel, the narrow shape puts suspended frames under the stack instead. Objects keep
 * the place they get when they first appear for the whole trace (objectPlaces), so nothing jumps
 * between steps. Text is monospaced, so sizes are computed here, not measured in the page.
 */
import { getArrow, getBoxToBoxArrow } from 'perfect-arrows'
import type {
  GeneratorState,
  HeapObject,
  StackFrame,
  SuspendedFrame,
  Trace,
  TraceStep,
  TraceRef,
  TraceValue
} from '@shared/trace'

export const CHAR_WIDTH = 7.2
export const ROW_HEIGHT = 20
const HEADER_HEIGHT = 24
const PAD = 12
/** Room above the columns for their titles. */
const TOP = 30
const TITLE_BASELINE = 18
const FRAME_WIDTH = 230
const OBJECT_WIDTH = 240
const SUSPENDED_WIDTH = 220
const COLUMN_GAP = 80
const SUSPENDED_GAP = 40
const FRAME_GAP = 14
const OBJECT_GAP = 16
/** Value chips ("yielded", "returned", "sent") sit under the frame column. */
const CHIP_HEIGHT = 24

export const OBJECTS_X = PAD + FRAME_WIDTH + COLUMN_GAP
const SUSPENDED_X = OBJECTS_X + OBJECT_WIDTH + SUSPENDED_GAP

/** wide: suspended frames in a column of their own, beside their generators; narrow: under the stack. */
export type DiagramShape = 'wide' | 'narrow'

export const DIAGRAM_WIDTH: Record<DiagramShape, number> = {
  wide: SUSPENDED_X + SUSPENDED_WIDTH + PAD,
  narrow: OBJECTS_X + OBJECT_WIDTH + PAD
}

/** The diagram is scaled to its panel, but never so far down that its 12 px text is under 10 px. */
export const MIN_SCALE = 10 / 12

/** The wide shape where it fits `width` pixels at MIN_SCALE or more, else the narrow one. */
export function diagramShapeFor(width: number): DiagramShape {
  return width >= DIAGRAM_WIDTH.wide * MIN_SCALE ? 'wide' : 'narrow'
}

export interface Box {
  x: number
  y: number
  width: number
  height: number
}

export interface DiagramRow {
  /** A local's name, an index, a key or an attribute. */
  label: string
  /** What is shown inline: a primitive's repr, or '' when an arrow leaves for an object. */
  text: string
  /** The object an arrow points at, if the value is a reference. */
  target: string | null
}

export interface FrameBox extends Box {
  id: string
  title: string
  line: number
  rows: DiagramRow[]
  /** Where its names end and its values begin (labelWidthOf). */
  labelWidth: number
  /** current: the top of the running stack; running: under it; suspended: a generator's paused frame. */
  role: 'current' | 'running' | 'suspended'
  /** The generator this frame belongs to, if it is a generator's frame. */
  generator: string | null
  /** A created generator's frame, waiting for its first next(): nothing has run in it yet. */
  notStarted: boolean
}

export interface ObjectBox extends Box {
  id: string
  type: HeapObject['type']
  title: string
  state: GeneratorState | null
  rows: DiagramRow[]
  /** Where its names end and its values begin (labelWidthOf). */
  labelWidth: number
  /** "… N more": how many items the recorder did not keep. */
  hidden: number
}

export interface Chip extends Box {
  label: 'yielded' | 'returned' | 'sent'
  text: string
  target: string | null
}

export interface DiagramArrow {
  key: string
  kind: 'reference' | 'gi_frame' | 'yield from'
  /** An SVG path: a quadratic curve from perfect-arrows. */
  path: string
  head: { x: number; y: number; angle: number }
  label?: string
  labelAt?: { x: number; y: number }
}

/** A column's title, such as FRAMES: its text's start and baseline. */
export interface ColumnTitle {
  text: string
  x: number
  y: number
}

export interface Diagram {
  width: number
  height: number
  titles: ColumnTitle[]
  frames: FrameBox[]
  objects: ObjectBox[]
  chips: Chip[]
  arrows: DiagramArrow[]
}

/** The longest text shown in one row, in characters; reprs are cut with "…". */
export function fitText(text: string, width: number): string {
  // The epsilon: 115.2 / 7.2 is 15.999… in floating point, and 16 characters fit.
  const max = Math.max(1, Math.floor(width / CHAR_WIDTH + 1e-9))
  const oneLine = text.replace(/\s*\n\s*/g, ' ')
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`
}

/**
 * Where a box's names end and its values begin: 42% of its width, or more where a name needs it
 * and the values leave room (an arrow's dot needs little), so `very_long_name` is not cut beside
 * an empty cell; the values keep at least 20%.
 */
export function labelWidthOf(rows: readonly DiagramRow[], width: number): number {
  const share = Math.round(width * 0.42)
  const names = Math.max(0, ...rows.map((row) => row.label.length)) * CHAR_WIDTH + 12
  if (names <= share) return share
  const values = Math.max(0, ...rows.map((row) => (row.target === null ? row.text.length * CHAR_WIDTH + 20 : 28)))
  return Math.round(Math.min(names, Math.max(share, width - Math.max(values, width * 0.2))))
}

/**
 * A box's title and the caption at its right end, each cut with "…" to fit `room` pixels between
 * them: the title first (a frame's function names it), the caption (its line, also in its tooltip) after.
 */
export function fitHeader(title: string, caption: string, room: number): { title: string; caption: string } {
  // + 1: fitText floors its characters, and a whole title must stay whole.
  const titleRoom = Math.min(title.length * CHAR_WIDTH + 1, Math.max(room - caption.length * CHAR_WIDTH, room * 0.6))
  return { title: fitText(title, titleRoom), caption: caption === '' ? '' : fitText(caption, room - titleRoom) }
}

function valueRow(label: string, value: TraceValue): DiagramRow {
  return value.kind === 'ref' ? { label, text: '', target: value.id } : { label, text: value.repr, target: null }
}

/**
 * A chip's value in one line: a primitive's repr; a list or tuple the recorder kept whole and of
 * primitives written out as Python writes it ("returned (None, None)" says more than
 * "<tuple of 2>"; the arrow still leads to it); anything else its heap repr.
 */
function inlineText(value: TraceValue, heap: TraceStep['heap']): string {
  if (value.kind !== 'ref') return value.repr
  const object = heap[value.id]
  if (object === undefined) return ''
  const { items } = object
  const isPrimitive = (item: TraceValue): item is Exclude<TraceValue, TraceRef> => item.kind !== 'ref'
  if ((object.type !== 'list' && object.type !== 'tuple') || object.hidden > 0 || !items.every(isPrimitive))
    return object.repr
  const inner = items.map((item) => item.repr).join(', ')
  return object.type === 'list' ? `[${inner}]` : `(${inner}${items.length === 1 ? ',' : ''})`
}

function objectRows(object: HeapObject): DiagramRow[] {
  switch (object.type) {
    case 'dict':
      return object.entries.map(([key, value]) => valueRow(key.kind === 'ref' ? '•' : key.repr, value))
    case 'instance':
      return object.entries.map(([key, value]) =>
        valueRow(key.kind === 'ref' ? '•' : key.repr.replace(/^'(.*)'$/, '$1'), value)
      )
    case 'list':
    case 'tuple':
      return object.items.map((item, index) => valueRow(String(index), item))
    case 'set':
      return object.items.map((item) => valueRow('', item))
    case 'generator':
      return [
        { label: 'gi_frame', text: object.frame == null ? 'None' : '', target: null },
        ...(object.yieldfrom == null ? [] : [{ label: 'gi_yieldfrom', text: '', target: object.yieldfrom }])
      ]
    case 'function':
    case 'other':
      return []
  }
}

function objectTitle(object: HeapObject): string {
  if (object.type === 'generator') return `generator ${object.function}`
  if (object.type === 'function' || object.type === 'other') return object.repr
  return object.type_name
}

function objectHeight(object: HeapObject): number {
  const rows = objectRows(object).length + (object.hidden > 0 ? 1 : 0)
  return HEADER_HEIGHT + Math.max(rows, object.type === 'function' || object.type === 'other' ? 0 : 1) * ROW_HEIGHT + 6
}

/** A frame's box at a place: its locals as rows, its height from them. */
function frameBox(
  frame: StackFrame | SuspendedFrame,
  role: FrameBox['role'],
  notStarted: boolean,
  place: { x: number; y: number; width: number }
): FrameBox {
  const rows = Object.entries(frame.locals).map(([name, value]) => valueRow(name, value))
  return {
    id: frame.id,
    title: frame.function,
    line: frame.line,
    rows,
    labelWidth: labelWidthOf(rows, place.width),
    role,
    generator: frame.generator,
    notStarted,
    ...place,
    height: frameHeight(rows.length)
  }
}

function frameHeight(localCount: number): number {
  return HEADER_HEIGHT + Math.max(localCount, 1) * ROW_HEIGHT + 6
}

/**
 * Each object's place for the whole trace: objects are stacked in the order they first appear,
 * and a place is reused only once its previous owner is gone for good; a lane is as tall as the
 * tallest object (with its suspended frame) it ever holds.
 */
export interface ObjectPlaces {
  y: Map<string, number>
  height: number
}

export function objectPlaces(trace: Trace): ObjectPlaces {
  const first = new Map<string, number>()
  const last = new Map<string, number>()
  const tallest = new Map<string, number>()
  trace.steps.forEach((step, index) => {
    const suspendedLocals = new Map<string, number>()
    for (const frame of step.suspended) suspendedLocals.set(frame.generator, Object.keys(frame.locals).length)
    for (const [id, object] of Object.entries(step.heap)) {
      if (!first.has(id)) first.set(id, index)
      last.set(id, index)
      const own = objectHeight(object)
      const locals = suspendedLocals.get(id)
      const height = locals === undefined ? own : Math.max(own, frameHeight(locals))
      if (height > (tallest.get(id) ?? 0)) tallest.set(id, height)
    }
  })
  const lanes: { freeAfter: number; height: number }[] = []
  const laneOf = new Map<string, number>()
  const order = [...first.keys()] // Map keeps insertion order: first appearance
  for (const id of order) {
    const start = first.get(id)!
    let lane = lanes.findIndex((candidate) => candidate.freeAfter < start)
    if (lane < 0) {
      lanes.push({ freeAfter: -1, height: 0 })
      lane = lanes.length - 1
    }
    lanes[lane]!.freeAfter = last.get(id)!
    lanes[lane]!.height = Math.max(lanes[lane]!.height, tallest.get(id)!)
    laneOf.set(id, lane)
  }
  const laneY: number[] = []
  let y = TOP
  for (const lane of lanes) {
    laneY.push(y)
    y += lane.height + OBJECT_GAP
  }
  const places = new Map<string, number>()
  for (const [id, lane] of laneOf) places.set(id, laneY[lane]!)
  return { y: places, height: y }
}

type ArrowGeometry = Pick<DiagramArrow, 'path' | 'head'> & { middle: { x: number; y: number } }

function geometry(points: number[]): ArrowGeometry {
  const [sx, sy, cx, cy, ex, ey, endAngle] = points as [number, number, number, number, number, number, number]
  return {
    path: `M${sx.toFixed(1)},${sy.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`,
    head: { x: ex, y: ey, angle: (endAngle * 180) / Math.PI },
    middle: { x: (sx + 2 * cx + ex) / 4, y: (sy + 2 * cy + ey) / 4 }
  }
}

/** Between two boxes of one column (an object's item to another object), around the nearest sides. */
function boxToBox(from: Box, to: Box, bow = 0.15): ArrowGeometry {
  return geometry(
    getBoxToBoxArrow(from.x, from.y, from.width, from.height, to.x, to.y, to.width, to.height, {
      bow,
      stretch: 0.4,
      padEnd: 4,
      straights: true
    })
  )
}

/** From a row's dot to a point on a box's edge (a header's side), as Python Tutor draws references. */
function pointToPoint(from: Box, to: { x: number; y: number }, bow = 0.1): ArrowGeometry {
  const x = from.x + from.width / 2
  const y = from.y + from.height / 2
  return geometry(getArrow(x, y, to.x, to.y, { bow, stretch: 0.3, padEnd: 2, straights: true }))
}

/** Where an arrow enters a box: the middle of its header, on the side facing the arrow's start. */
function headerSide(box: Box, fromX: number): { x: number; y: number } {
  return { x: fromX < box.x ? box.x : box.x + box.width, y: box.y + HEADER_HEIGHT / 2 }
}

/** The small box at the end of a row that an arrow leaves from. */
function rowAnchor(box: Box, index: number): Box {
  return {
    x: box.x + box.width - 14,
    y: box.y + HEADER_HEIGHT + index * ROW_HEIGHT + ROW_HEIGHT / 2 - 3,
    width: 6,
    height: 6
  }
}

/** The diagram of one step. `places` comes from objectPlaces(trace), computed once per trace. */
export function layoutStep(step: TraceStep, places: ObjectPlaces, shape: DiagramShape = 'wide'): Diagram {
  const titles: ColumnTitle[] = [
    { text: 'FRAMES', x: PAD, y: TITLE_BASELINE },
    { text: 'OBJECTS', x: OBJECTS_X, y: TITLE_BASELINE }
  ]
  const frames: FrameBox[] = []
  const objects: ObjectBox[] = []
  const chips: Chip[] = []
  const arrows: DiagramArrow[] = []
  const objectBoxes = new Map<string, ObjectBox>()

  for (const [id, object] of Object.entries(step.heap)) {
    const rows = objectRows(object)
    const box: ObjectBox = {
      id,
      type: object.type,
      title: objectTitle(object),
      state: object.type === 'generator' ? object.state : null,
      rows,
      labelWidth: labelWidthOf(rows, OBJECT_WIDTH),
      hidden: object.hidden,
      x: OBJECTS_X,
      y: places.y.get(id) ?? TOP,
      width: OBJECT_WIDTH,
      height: objectHeight(object)
    }
    objects.push(box)
    objectBoxes.set(id, box)
  }

  // Running frames, the current one on top.
  let y = TOP
  const running = [...step.stack].reverse()
  running.forEach((frame, index) => {
    const box = frameBox(frame, index === 0 ? 'current' : 'running', false, { x: PAD, y, width: FRAME_WIDTH })
    frames.push(box)
    y += box.height + FRAME_GAP
  })

  // What leaves or enters the current frame at this step.
  const chipValues: [Chip['label'], TraceValue | null][] = [
    [
      step.event === 'yield' ? 'yielded' : 'returned',
      step.event === 'yield' || step.event === 'return' ? step.value : null
    ],
    ['sent', step.event === 'resume' ? step.sent : null]
  ]
  for (const [label, value] of chipValues) {
    if (value === null) continue
    chips.push({
      label,
      text: value.kind === 'ref' ? inlineText(value, step.heap) : value.repr,
      target: value.kind === 'ref' ? value.id : null,
      x: PAD,
      y,
      width: FRAME_WIDTH,
      height: CHIP_HEIGHT
    })
    y += CHIP_HEIGHT + FRAME_GAP
  }

  // Suspended generator frames, held by no caller: wide, beside their generator objects; narrow,
  // under the stack below a title of their own, in their generators' order so links do not cross.
  const ownerY = (generator: string): number => objectBoxes.get(generator)?.y ?? TOP
  const suspended =
    shape === 'wide' ? step.suspended : [...step.suspended].sort((a, b) => ownerY(a.generator) - ownerY(b.generator))
  if (shape === 'narrow' && suspended.length > 0) {
    titles.push({ text: 'SUSPENDED FRAMES', x: PAD, y: y + TITLE_BASELINE })
    y += TOP
  }
  for (const frame of suspended) {
    const box = frameBox(
      frame,
      'suspended',
      objectBoxes.get(frame.generator)?.state === 'GEN_CREATED',
      shape === 'wide'
        ? { x: SUSPENDED_X, y: ownerY(frame.generator), width: SUSPENDED_WIDTH }
        : { x: PAD, y, width: FRAME_WIDTH }
    )
    frames.push(box)
    if (shape === 'narrow') y += box.height + FRAME_GAP
  }

  const reference = (key: string, from: Box, target: string | null, sameColumn: boolean): void => {
    const to = target === null ? undefined : objectBoxes.get(target)
    if (to === undefined) return
    const { path, head } = sameColumn ? boxToBox(from, to) : pointToPoint(from, headerSide(to, from.x))
    arrows.push({ key, kind: 'reference', path, head })
  }
  for (const frame of frames) {
    frame.rows.forEach((row, index) =>
      reference(`${frame.id}:${row.label}`, rowAnchor(frame, index), row.target, frame.x > OBJECTS_X)
    )
  }
  for (const object of objects) {
    object.rows.forEach((row, index) => {
      if (row.label === 'gi_yieldfrom') {
        const to = row.target === null ? undefined : objectBoxes.get(row.target)
        if (to === undefined) return
        const { path, head, middle } = boxToBox(rowAnchor(object, index), to, 0.6)
        arrows.push({
          key: `${object.id}:yieldfrom`,
          kind: 'yield from',
          path,
          head,
          label: 'yield from',
          labelAt: middle
        })
      } else reference(`${object.id}:${index}`, rowAnchor(object, index), row.target, true)
    })
    // gi_frame: to the frame in the stack while it runs, beside it while it is suspended.
    if (object.type === 'generator') {
      const frame = frames.find((candidate) => candidate.generator === object.id)
      if (frame !== undefined) {
        // Beside its generator, a suspended frame is joined by a straight link.
        const dot = rowAnchor(object, 0)
        const anchor = frame.x < object.x ? { ...dot, x: object.x - 3 } : dot
        const { path, head } = pointToPoint(anchor, headerSide(frame, anchor.x), frame.x > object.x ? 0 : 0.2)
        arrows.push({ key: `${object.id}:gi_frame`, kind: 'gi_frame', path, head })
      }
    }
  }
  for (const chip of chips) {
    const anchor = { x: chip.x + chip.width - 14, y: chip.y + chip.height / 2 - 3, width: 6, height: 6 }
    reference(`chip:${chip.label}`, anchor, chip.target, false)
  }

  const bottoms = [...frames, ...objects, ...chips].map((box) => box.y + box.height)
  return {
    width: DIAGRAM_WIDTH[shape],
    height: Math.max(places.height, ...bottoms, 120) + PAD,
    titles,
    frames,
    objects,
    chips,
    arrows
  }
}
