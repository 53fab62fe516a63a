/**
 * JSON for the e2e bridge that keeps typed arrays typed, both ways, since Electron's IPC carries
 * them natively. The page side of this rule is `revive` and `replace` in labBridge.page.js.
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
