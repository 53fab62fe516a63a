/**
 * The renderer's only door to main: calls a contract channel through `window.lab` and turns an
 * error envelope back into the one LabError type.
 */
import type { Channel, ChannelInput, ChannelOutput, LabEvent, LabEvents } from '@shared/contract'
import { LabError, type LabErrorInfo } from '@shared/errors'

export async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const reply = await window.lab.invoke(channel, input)
  if (!reply.ok) throw LabError.fromInfo(reply.error)
  return reply.value
}

export function onLabEvent<E extends LabEvent>(event: E, listener: (payload: LabEvents[E]) => void): () => void {
  return window.lab.on(event, listener)
}

/** A message fit for the UI from anything thrown. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The LabErrorInfo of anything thrown (anything but a LabError is INTERNAL). */
export function errorInfo(error: unknown): LabErrorInfo {
  return error instanceof LabError ? error.toInfo() : { code: 'INTERNAL', message: describeError(error) }
}
