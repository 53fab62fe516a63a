/**
 * The e2e bridge's wire, which keeps typed arrays typed both ways, since Electron's IPC carries
 * them natively. Events are JSON with typed arrays as base64 (small, or rare); requests and
 * replies are framed (encodeFrame), so typed arrays travel as raw bytes (a walk's batch one way,
 * an ncdu export of megabytes the other) and neither side runs a base64 codec or a JSON reviver
 * over them: as with Electron's structured clone, sending them costs a copy. The page side is
 * labBridge.page.js.
 */
export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (ArrayBuffer.isView(item) && !(item instanceof DataView)) {
      const bytes = Buffer.from(item.buffer, item.byteOffset, item.byteLength)
      return { $typedArray: item.constructor.name, base64: bytes.toString('base64') }
    }
    return item
  })
}

type PathKey = string | number

/**
 * value with each typed array replaced by null, shallow-copying only the objects and arrays on
 * the way to one (a batch's big name arrays are shared, not copied); each array's path is kept.
 */
function extractTypedArrays(
  value: unknown,
  path: PathKey[],
  found: { path: PathKey[]; array: ArrayBufferView }[]
): unknown {
  if (value === null || typeof value !== 'object') return value
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    found.push({ path: [...path], array: value })
    return null
  }
  let copy: Record<PathKey, unknown> | unknown[] | undefined
  const visit = (key: PathKey, item: unknown): void => {
    if (item === null || typeof item !== 'object') return
    path.push(key)
    const replaced = extractTypedArrays(item, path, found)
    path.pop()
    if (replaced === item) return
    copy ??= Array.isArray(value) ? value.slice() : { ...(value as Record<string, unknown>) }
    ;(copy as Record<PathKey, unknown>)[key] = replaced
  }
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) visit(i, value[i])
  else for (const key of Object.keys(value)) visit(key, (value as Record<string, unknown>)[key])
  return copy ?? value
}

const align8 = (n: number): number => (n + 7) & ~7

/**
 * A value as one binary frame: [u32 JSON length][u32 index length][JSON][index][typed arrays'
 * bytes, each 8-aligned]. The index lists each array's path, type, offset and byte length, so the
 * other side puts the arrays back in place (no base64, no per-value reviver).
 */
export function encodeFrame(value: unknown): Buffer {
  const found: { path: PathKey[]; array: ArrayBufferView }[] = []
  const json = Buffer.from(JSON.stringify(extractTypedArrays(value, [], found)), 'utf8')
  let offset = 0
  const index = found.map(({ path, array }) => {
    const entry = { path, type: array.constructor.name, offset, byteLength: array.byteLength }
    offset = align8(offset + array.byteLength)
    return entry
  })
  const indexBytes = Buffer.from(JSON.stringify(index), 'utf8')
  const start = align8(8 + json.length + indexBytes.length)
  const frame = Buffer.alloc(start + offset)
  frame.writeUInt32LE(json.length, 0)
  frame.writeUInt32LE(indexBytes.length, 4)
  json.copy(frame, 8)
  indexBytes.copy(frame, 8 + json.length)
  found.forEach(({ array }, i) => {
    frame.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), start + index[i]!.offset)
  })
  return frame
}

/** What the page sent as a frame (encodeFrame's format), each typed array in a buffer of its own. */
export function decodeFrame(frame: Buffer): unknown {
  const jsonLength = frame.readUInt32LE(0)
  const indexLength = frame.readUInt32LE(4)
  const value: unknown = JSON.parse(frame.toString('utf8', 8, 8 + jsonLength))
  const index = JSON.parse(frame.toString('utf8', 8 + jsonLength, 8 + jsonLength + indexLength)) as {
    path: PathKey[]
    type: string
    offset: number
    byteLength: number
  }[]
  const start = align8(8 + jsonLength + indexLength)
  const holder: Record<PathKey, unknown> = { value }
  for (const { path, type, offset, byteLength } of index) {
    const constructor = (globalThis as unknown as Record<string, new (buffer: ArrayBuffer) => unknown>)[type]
    if (constructor === undefined || !type.endsWith('Array')) throw new Error(`Not a typed array: ${type}`)
    const at = frame.byteOffset + start + offset
    let target = holder
    let key: PathKey = 'value'
    for (const step of path) {
      target = target[key] as Record<PathKey, unknown>
      key = step
    }
    target[key] = new constructor(frame.buffer.slice(at, at + byteLength) as ArrayBuffer)
  }
  return holder['value']
}
