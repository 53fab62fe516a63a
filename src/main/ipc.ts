import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { channelNames, type Envelope } from '../shared/contract'
import { LabError } from '../shared/errors'
import { dispatch, type Handlers } from './lab/handlers'

/**
 * Registers one ipcMain handler per contract channel. A request is served only when it comes from
 * the main frame of our own page; anything else gets the structured error and no work is done.
 */
export function registerIpc(ipcMain: IpcMain, handlers: Handlers, isAppUrl: (url: string) => boolean): void {
  for (const channel of channelNames) {
    ipcMain.handle(
      channel,
      (event: IpcMainInvokeEvent, input: unknown): Promise<Envelope<unknown>> | Envelope<unknown> => {
        const frame = event.senderFrame
        if (frame === null || frame.parent !== null || !isAppUrl(frame.url)) {
          return {
            ok: false,
            error: new LabError('PERMISSION_DENIED', `${channel}: request from an untrusted frame refused.`).toInfo()
          }
        }
        return dispatch(handlers, channel, input, event.sender.id)
      }
    )
  }
}
