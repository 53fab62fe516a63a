/**
 * The preload's `window.lab`, re-made for a plain browser page: invoke goes over fetch to the lab
 * server, events arrive over an EventSource. bridge.ts bundles it, with wireCodec.ts, into the
 * script page.addInitScript injects, and defines LAB_EVENTS as the contract's event names.
 */
import { decodeFrame, decodeWire, encodeFrame } from './wireCodec'

declare const LAB_EVENTS: readonly string[]

const owner = crypto.randomUUID()
const listeners = new Map<string, Set<(payload: unknown) => void>>()
const source = new EventSource(`/lab/events?owner=${owner}`)
for (const event of LAB_EVENTS) {
  source.addEventListener(event, (message) => {
    const payload = decodeWire((message as MessageEvent<string>).data)
    for (const listener of listeners.get(event) ?? []) listener(payload)
  })
}

;(window as unknown as { lab: unknown }).lab = {
  async invoke(channel: string, input: unknown): Promise<unknown> {
    const response = await fetch(`/lab/invoke?owner=${owner}`, {
      method: 'POST',
      body: encodeFrame({ channel, input }) as Uint8Array<ArrayBuffer>
    })
    return decodeFrame(new Uint8Array(await response.arrayBuffer()), 'views')
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!LAB_EVENTS.includes(event)) throw new Error(`Unknown event ${event}.`)
    const set = listeners.get(event) ?? new Set()
    listeners.set(event, set)
    set.add(listener)
    return () => set.delete(listener)
  }
}
