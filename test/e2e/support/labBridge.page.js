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
        body: JSON.stringify({ channel, input })
      })
      return decode(await response.text())
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
