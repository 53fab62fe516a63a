/**
 * The e2e bridge's wire, which keeps typed arrays typed and NaN, ±Infinity and -0 as numbers both
 * ways, since Electron's IPC (structured clone) carries them natively; JSON would make them null
 * or 0. Events are JSON with typed arrays as base64 (small, or rare); requests and replies are
 * framed (encodeFrame), so typed arrays travel as raw bytes (a walk's batch one way, an ncdu
 * export of megabytes the other) and neither side runs a base64 codec or a JSON reviver over
 * them: as with Electron's structured clone, sending them costs a copy.
 *
 * One module for both ends: the lab server imports it, and bridge.ts bundles it into the page
 * with labBridge.page.ts. So everything but encodeWire (server only) uses what a page has.
 */
export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (ArrayBuffer.isView(item) && !(item instanceof DataView)) {
      const bytes = Buffer.from(item.buffer, item.byteOffset, item.byteLength)
      return { $typedArray: item.constructor.name, base64: bytes.toString('base64') }
    }
    if (notJsonNumber(item)) return { $number: numberText(item) }
    return item
  })
}

/** NaN, ±Infinity or -0: numbers JSON has no text for (it would give null, or 0). */
const notJsonNumber = (item: unknown): item is number =>
  typeof item === 'number' && (!Number.isFinite(item) || Object.is(item, -0))

/** The number's text, which Number() reads back (String(-0) is "0"). */
const numberText = (item: number): string => (Object.is(item, -0) ? '-0' : String(item))

/** What encodeWire made, typed arrays restored. */
export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, item: unknown) => {
    if (item !== null && typeof item === 'object' && '$typedArray' in item) {
      const { $typedArray: type, base64 } = item as { $typedArray: string; base64: string }
      return new (typedArrayType(type))(base64Bytes(base64).buffer)
    }
    if (item !== null && typeof item === 'object' && '$number' in item)
      return Number((item as { $number: string }).$number)
    return item
  })
}

/** Walk items carry megabytes of typed arrays: decode without a callback per byte where the platform can. */
function base64Bytes(text: string): Uint8Array {
  const fromBase64 = (Uint8Array as { fromBase64?: (text: string) => Uint8Array }).fromBase64
  if (fromBase64 !== undefined) return fromBase64(text)
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

type TypedArrayType = new (buffer: ArrayBufferLike, byteOffset?: number, length?: number) => ArrayBufferView

function typedArrayType(type: string): TypedArrayType & { BYTES_PER_ELEMENT: number } {
  const found = (globalThis as unknown as Record<string, TypedArrayType & { BYTES_PER_ELEMENT: number }>)[type]
  if (found === undefined || !type.endsWith('Array')) throw new Error(`Not a typed array: ${type}`)
  return found
}

type PathKey = string | number

/** What a frame carries outside its JSON: a typed array's bytes, or a number JSON has no text for. */
type Extracted = { path: PathKey[]; array: ArrayBufferView } | { path: PathKey[]; number: number }

/**
 * value with each typed array and each non-finite number replaced by null, shallow-copying only
 * the objects and arrays on the way to one (a batch's big name arrays are shared, not copied);
 * each one's path is kept.
 */
function extractTypedArrays(value: unknown, path: PathKey[], found: Extracted[]): unknown {
  if (notJsonNumber(value)) {
    found.push({ path: [...path], number: value })
    return null
  }
  if (value === null || typeof value !== 'object') return value
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    found.push({ path: [...path], array: value })
    return null
  }
  let copy: Record<PathKey, unknown> | unknown[] | undefined
  const visit = (key: PathKey, item: unknown): void => {
    if ((item === null || typeof item !== 'object') && !notJsonNumber(item)) return
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
const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder()

/** Where a frame puts back a typed array (its bytes at offset, after the index), or a number (as text). */
type IndexEntry =
  { path: PathKey[]; type: string; offset: number; byteLength: number } | { path: PathKey[]; number: string }

/**
 * A value as one binary frame: [u32 JSON length][u32 index length][JSON][index][typed arrays'
 * bytes, each 8-aligned]. The index lists each array's path, type, offset and byte length, and
 * each non-finite number's path and text, so the other side puts them back in place (no base64,
 * no per-value reviver).
 */
export function encodeFrame(value: unknown): Uint8Array {
  const found: Extracted[] = []
  const json = utf8Encoder.encode(JSON.stringify(extractTypedArrays(value, [], found)))
  let offset = 0
  const arrays: ArrayBufferView[] = []
  const index: IndexEntry[] = found.map((extracted) => {
    if ('number' in extracted) return { path: extracted.path, number: numberText(extracted.number) }
    const { path, array } = extracted
    const entry = { path, type: array.constructor.name, offset, byteLength: array.byteLength }
    arrays.push(array)
    offset = align8(offset + array.byteLength)
    return entry
  })
  const indexBytes = utf8Encoder.encode(JSON.stringify(index))
  const start = align8(8 + json.length + indexBytes.length)
  const frame = new Uint8Array(start + offset)
  const header = new DataView(frame.buffer)
  header.setUint32(0, json.length, true)
  header.setUint32(4, indexBytes.length, true)
  frame.set(json, 8)
  frame.set(indexBytes, 8 + json.length)
  let arrayAt = start
  for (const array of arrays) {
    frame.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), arrayAt)
    arrayAt = align8(arrayAt + array.byteLength)
  }
  return frame
}

/**
 * What encodeFrame made. Each typed array is a view of the frame ('views': the page, which owns
 * the reply's buffer) or a copy in a buffer of its own ('copies': the server, whose handlers may
 * keep or transfer it, as they would an array Electron's IPC delivered).
 */
export function decodeFrame(frame: Uint8Array, arrays: 'views' | 'copies'): unknown {
  const header = new DataView(frame.buffer, frame.byteOffset, 8)
  const jsonLength = header.getUint32(0, true)
  const indexLength = header.getUint32(4, true)
  const text = (from: number, length: number): string => utf8Decoder.decode(frame.subarray(from, from + length))
  const value: unknown = JSON.parse(text(8, jsonLength))
  const index = JSON.parse(text(8 + jsonLength, indexLength)) as IndexEntry[]
  const start = align8(8 + jsonLength + indexLength)
  const holder: Record<PathKey, unknown> = { value }
  for (const entry of index) {
    let target = holder
    let key: PathKey = 'value'
    for (const step of entry.path) {
      target = target[key] as Record<PathKey, unknown>
      key = step
    }
    if ('number' in entry) {
      target[key] = Number(entry.number)
      continue
    }
    const { type, offset, byteLength } = entry
    const Type = typedArrayType(type)
    const at = frame.byteOffset + start + offset
    target[key] =
      arrays === 'views'
        ? new Type(frame.buffer, at, byteLength / Type.BYTES_PER_ELEMENT)
        : new Type(frame.buffer.slice(at, at + byteLength))
  }
  return holder['value']
}
