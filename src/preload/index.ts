/**
 * Exposes exactly the contract as `window.lab`: invoke on a declared channel, listen to a declared
 * event. Nothing else of Electron or Node reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { channelNames, eventNames, type LabApi } from '../shared/contract'

const api: LabApi = {
  invoke(channel, input) {
    if (!channelNames.includes(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: `Unknown channel ${String(channel)}.` }
      })
    }
    return ipcRenderer.invoke(channel, input)
  },
  on(event, listener) {
    if (!eventNames.includes(event)) throw new Error(`Unknown event ${String(event)}.`)
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload as never)
    ipcRenderer.on(event, forward)
    return () => ipcRenderer.removeListener(event, forward)
  }
}

contextBridge.exposeInMainWorld('lab', api)
