/**
 * The e2e bridge's wire (test/e2e/support): the frame codec both ends share, the events' JSON, and
 * the page script bridge.ts bundles from them, run against a stand-in page.
 */
import { runInNewContext } from 'node:vm'
import { describe, expect, test } from 'vitest'
import { labBridgeScript } from './e2e/support/bridge'
import { decodeFrame, decodeWire, encodeFrame, encodeWire } from './e2e/support/wireCodec'
import { eventNames } from '../src/shared/contract'

/** Typed arrays at awkward places: a view at an odd offset of a larger buffer, nested in arrays and objects. */
interface Sample {
  channel: string
  input: { id: string; batch: unknown[]; counts: Uint32Array }
}

function sample(): { value: Sample; stats: Float64Array; names: Uint8Array; counts: Uint32Array } {
  const stats = new Float64Array([1.5, -2, 2 ** 53 - 1])
  const names = new Uint8Array(new ArrayBuffer(16), 3, 5).fill(0xff)
  const counts = new Uint32Array([7, 8, 9, 10])
  const value: Sample = { channel: 'job.next', input: { id: 'a', batch: [{ stats, names }, null, 'ünïcode'], counts } }
  return { value, stats, names, counts }
}

describe('wire codec', () => {
  test('a frame gives back the value with each typed array typed, in place, as views of the frame or as copies', () => {
    const { value, stats, names, counts } = sample()
    const frame = encodeFrame(value)
    for (const arrays of ['views', 'copies'] as const) {
      const back = decodeFrame(frame, arrays) as Sample
      expect(back).toEqual(value)
      const batch = back.input.batch[0] as { stats: Float64Array; names: Uint8Array }
      expect(batch.stats).toBeInstanceOf(Float64Array)
      expect([...batch.stats]).toEqual([...stats])
      expect([...batch.names]).toEqual([...names])
      expect(back.input.counts).toBeInstanceOf(Uint32Array)
      expect([...back.input.counts]).toEqual([...counts])
      if (arrays === 'views') expect(batch.stats.buffer).toBe(back.input.counts.buffer)
      else expect(batch.names.buffer.byteLength).toBe(names.byteLength)
    }
    // The sender's value is not changed by taking its arrays out.
    expect((value.input.batch[0] as { stats: unknown }).stats).toBe(stats)
  })

  test('a frame read from inside a larger buffer (as a server reads a request body) decodes the same', () => {
    const frame = encodeFrame(sample().value)
    const padded = new Uint8Array(frame.length + 3)
    padded.set(frame, 3)
    expect(decodeFrame(padded.subarray(3), 'copies')).toEqual(sample().value)
  })

  test('an event keeps its typed arrays through JSON', () => {
    const { value } = sample()
    expect(decodeWire(encodeWire(value))).toEqual(value)
  })

  test('NaN, ±Infinity and -0 cross as numbers, as structured clone carries them, in frames and events', () => {
    const value = {
      sum: NaN,
      range: [-Infinity, 2, Infinity],
      nested: { max: Infinity, stats: new Float64Array([NaN]) }
    }
    for (const back of [decodeFrame(encodeFrame(value), 'copies'), decodeWire(encodeWire(value))]) {
      expect(back).toEqual(value)
      expect((back as typeof value).range).toEqual([-Infinity, 2, Infinity])
    }
    for (const number of [NaN, Infinity, -Infinity, -0]) {
      expect(decodeFrame(encodeFrame(number), 'views')).toBe(number)
      expect(decodeWire(encodeWire(number))).toBe(number)
    }
  })
})

describe('page bridge', () => {
  test('the bundled page script sends frames the server decodes and hands events to listeners', async () => {
    const sources: { url: string; listeners: Map<string, (message: { data: string }) => void> }[] = []
    const requests: { url: string; body: unknown }[] = []
    const page = {
      window: {} as { lab?: { invoke: (c: string, i: unknown) => Promise<unknown>; on: (...a: unknown[]) => unknown } },
      crypto: { randomUUID: () => 'page-1' },
      EventSource: class {
        readonly listeners = new Map<string, (message: { data: string }) => void>()
        constructor(readonly url: string) {
          sources.push(this)
        }
        addEventListener(event: string, listener: (message: { data: string }) => void): void {
          this.listeners.set(event, listener)
        }
      },
      fetch: async (url: string, init: { body: Uint8Array }) => {
        requests.push({ url, body: decodeFrame(init.body, 'copies') })
        const reply = encodeFrame({ done: false, stats: new Float64Array([4, 2]) })
        return { arrayBuffer: async () => reply.buffer.slice(reply.byteOffset, reply.byteOffset + reply.byteLength) }
      }
    }
    runInNewContext(labBridgeScript(), {
      ...page,
      Uint8Array,
      Float64Array,
      Uint32Array,
      DataView,
      TextEncoder,
      TextDecoder
    })

    const lab = page.window.lab!
    const reply = (await lab.invoke('job.next', { id: 'j', data: new Uint32Array([5]) })) as { stats: Float64Array }
    expect(requests[0]!.url).toBe('/lab/invoke?owner=page-1')
    expect(requests[0]!.body).toEqual({ channel: 'job.next', input: { id: 'j', data: new Uint32Array([5]) } })
    expect(reply.stats.constructor.name).toBe('Float64Array')
    expect([...reply.stats]).toEqual([4, 2])

    expect(sources[0]!.url).toBe('/lab/events?owner=page-1')
    expect([...sources[0]!.listeners.keys()]).toEqual([...eventNames])
    const heard: unknown[] = []
    lab.on(eventNames[0], (payload: unknown) => heard.push(payload))
    sources[0]!.listeners.get(eventNames[0]!)!({ data: encodeWire({ n: 1 }) })
    expect(heard).toEqual([{ n: 1 }])
    expect(() => lab.on('no.such.event', () => {})).toThrow('Unknown event no.such.event.')
  })
})
