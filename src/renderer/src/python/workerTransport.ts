/**
 * The app's transport to Python: a module Web Worker bundled by Vite, and the same-origin URL of
 * the Pyodide runtime that the build ships next to index.html (see electron.vite.config.ts).
 */
import { PythonClient, type TransportFactory } from './client'

const createWorkerTransport: TransportFactory = ({ onMessage, onError }) => {
  const worker = new Worker(new URL('./pythonWorker.ts', import.meta.url), { type: 'module', name: 'python' })
  worker.onmessage = (event) => onMessage(event.data)
  worker.onerror = (event) => {
    event.preventDefault()
    onError(`The Python worker failed to start: ${event.message || 'unknown error'}`)
  }
  return {
    post: (message) => worker.postMessage(message),
    terminate: () => worker.terminate()
  }
}

/** Works under http://127.0.0.1:PORT/index.html (e2e) and app://yield-lab/index.html alike. */
function pyodideIndexURL(): string {
  return new URL('./pyodide/', document.baseURI).href
}

export function createAppPythonClient(): PythonClient {
  return new PythonClient({
    createTransport: createWorkerTransport,
    indexURL: pyodideIndexURL(),
    crossOriginIsolated: globalThis.crossOriginIsolated === true
  })
}
