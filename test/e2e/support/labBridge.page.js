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
  const replace = (_key, item) => {
    if (ArrayBuffer.isView(item) && !(item instanceof DataView)) {
      const bytes = new Uint8Array(item.buffer, item.byteOffset, item.byteLength)
      let binary = ''
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
      return { $typedArray: item.constructor.name, base64: btoa(binary) }
    }
    return item
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
        body: JSON.stringify({ channel, input }, replace)
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
