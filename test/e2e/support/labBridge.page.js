// The preload's `window.lab`, re-made for a plain browser page: invoke goes over fetch to the lab
// server, events arrive over an EventSource. Plain JS: it is injected as text by page.addInitScript.
// `LAB_EVENTS` is bound by labBridgeScript() in bridge.ts.
;(() => {
  /* global LAB_EVENTS */
  const events = LAB_EVENTS
  // Walk items carry megabytes of typed arrays: decode without a callback per byte.
  const base64Bytes = (text) => {
    if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text)
    const binary = atob(text)
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    return bytes
  }
  const revive = (_key, item) => {
    if (item !== null && typeof item === 'object' && '$typedArray' in item) {
      return new globalThis[item.$typedArray](base64Bytes(item.base64).buffer)
    }
    return item
  }
  const decode = (text) => JSON.parse(text, revive)
  // A request frame (decodeFrame in wireCodec.ts): JSON with each typed array left out (null) and
  // listed in an index by its path, then the arrays' bytes, each 8-aligned. The Blob copies them.
  const align8 = (n) => (n + 7) & ~7
  const encodeRequest = (value) => {
    const found = []
    const extract = (item, path) => {
      if (item === null || typeof item !== 'object') return item
      if (ArrayBuffer.isView(item) && !(item instanceof DataView)) {
        found.push({ path: [...path], array: item })
        return null
      }
      const copy = Array.isArray(item) ? [] : {}
      for (const key of Object.keys(item))
        copy[key] = extract(item[key], [...path, Array.isArray(item) ? Number(key) : key])
      return copy
    }
    const utf8Encoder = new TextEncoder()
    const json = utf8Encoder.encode(JSON.stringify(extract(value, [])))
    let offset = 0
    const index = found.map(({ path, array }) => {
      const entry = { path, type: array.constructor.name, offset, byteLength: array.byteLength }
      offset = align8(offset + array.byteLength)
      return entry
    })
    const indexBytes = utf8Encoder.encode(JSON.stringify(index))
    const header = new DataView(new ArrayBuffer(8))
    header.setUint32(0, json.length, true)
    header.setUint32(4, indexBytes.length, true)
    const parts = [
      header,
      json,
      indexBytes,
      new Uint8Array(align8(8 + json.length + indexBytes.length) - (8 + json.length + indexBytes.length))
    ]
    for (const [i, { array }] of found.entries()) {
      parts.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength))
      const next = i + 1 < index.length ? index[i + 1].offset : align8(index[i].offset + array.byteLength)
      parts.push(new Uint8Array(next - index[i].offset - array.byteLength))
    }
    return new Blob(parts)
  }
  // A reply frame (encodeReply in wireCodec.ts): plain JSON, then typed arrays put back as views of the frame.
  const utf8 = new TextDecoder()
  const decodeReply = (buffer) => {
    const header = new DataView(buffer, 0, 8)
    const jsonLength = header.getUint32(0, true)
    const indexLength = header.getUint32(4, true)
    const value = JSON.parse(utf8.decode(new Uint8Array(buffer, 8, jsonLength)))
    const index = JSON.parse(utf8.decode(new Uint8Array(buffer, 8 + jsonLength, indexLength)))
    const start = (8 + jsonLength + indexLength + 7) & ~7
    const holder = { value }
    for (const { path, type, offset, byteLength } of index) {
      const Type = globalThis[type]
      let target = holder
      let key = 'value'
      for (const step of path) {
        target = target[key]
        key = step
      }
      target[key] = new Type(buffer, start + offset, byteLength / Type.BYTES_PER_ELEMENT)
    }
    return holder.value
  }
  const owner = crypto.randomUUID()
  const listeners = new Map()
  const source = new EventSource(`/lab/events?owner=${owner}`)
  for (const event of events) {
    source.addEventListener(event, (message) => {
      const payload = decode(message.data)
      for (const listener of listeners.get(event) ?? []) listener(payload)
    })
  }
  window.lab = {
    async invoke(channel, input) {
      const response = await fetch(`/lab/invoke?owner=${owner}`, {
        method: 'POST',
        body: encodeRequest({ channel, input })
      })
      return decodeReply(await response.arrayBuffer())
    },
    on(event, listener) {
      if (!events.includes(event)) throw new Error(`Unknown event ${event}.`)
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener)
      return () => set.delete(listener)
    }
  }
})()
