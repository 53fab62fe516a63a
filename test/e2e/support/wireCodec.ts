/**
 * The e2e bridge's wire, which keeps typed arrays typed both ways, since Electron's IPC carries
 * them natively. Events and requests are JSON with typed arrays as base64 (small, or rare);
 * replies are framed (encodeReply), so a batch's typed arrays travel as raw bytes and the page
 * parses plain JSON without a reviver. The page side is labBridge.page.js.
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

/** The other direction: what the page sent, typed arrays rebuilt. */
export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, item: unknown) => {
    if (item !== null && typeof item === 'object' && '$typedArray' in item && 'base64' in item) {
      const { $typedArray, base64 } = item as { $typedArray: string; base64: string }
      const bytes = Buffer.from(base64, 'base64')
      const constructor = (globalThis as unknown as Record<string, new (buffer: ArrayBuffer) => unknown>)[$typedArray]
      if (constructor === undefined || !$typedArray.endsWith('Array'))
        throw new Error(`Not a typed array: ${$typedArray}`)
      return new constructor(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
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
 * A reply as one binary frame: [u32 JSON length][u32 index length][JSON][index][typed arrays'
 * bytes, each 8-aligned]. The index lists each array's path, type, offset and byte length, so the
 * page puts views of the frame back in place (no base64, no per-value reviver).
 */
export function encodeReply(value: unknown): Buffer {
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
