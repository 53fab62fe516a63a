/**
 * JSON for the e2e bridge that keeps typed arrays typed, since Electron's IPC carries them
 * natively. The page side of this rule is `revive` in labBridge.page.js.
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
