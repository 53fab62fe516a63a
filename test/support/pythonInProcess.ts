/**
 * The Python console's client against the real Python side, in-process: the worker's host
 * (pythonHost.ts + console.py) runs on the real Pyodide in this thread, and messages cross an
 * asynchronous, structured-clone boundary as they would to a Web Worker. Pyodide is loaded once
 * per test file; each new client gets a namespace as fresh as a new interpreter's.
 */
import { loadPyodide, type PyodideInterface } from 'pyodide'
import consoleSource from '../../src/renderer/src/python/console.py?raw'
import traceRecorderSource from '../../src/renderer/src/python/trace_recorder.py?raw'
import { PythonClient, type PythonTransport, type TransportFactory } from '../../src/renderer/src/python/client'
import type { FromPythonWorker, ToPythonWorker } from '../../src/renderer/src/python/protocol'
import { createPythonHost } from '../../src/renderer/src/python/pythonHost'

let runtime: Promise<PyodideInterface> | undefined

async function sharedRuntime(): Promise<PyodideInterface> {
  runtime ??= loadPyodide()
  const pyodide = await runtime
  // A client before this one may have defined names: start from the pristine namespace.
  const scratch = pyodide.toPy({})
  pyodide.runPython(
    'import sys\nconsole = sys.modules.get("yieldlab_console")\nif console is not None:\n    console.reset()',
    { globals: scratch }
  )
  scratch.destroy()
  return pyodide
}

export const inProcessTransport: TransportFactory = ({ onMessage }) => {
  let terminated = false
  const host = createPythonHost({
    post: (message: FromPythonWorker) => {
      const copy = structuredClone(message)
      setTimeout(() => terminated || onMessage(copy))
    },
    consoleSource,
    traceRecorderSource,
    loadRuntime: async ({ onProgress }) => {
      onProgress('downloading')
      const pyodide = await sharedRuntime()
      onProgress('starting')
      return pyodide
    }
  })
  const transport: PythonTransport = {
    post: (message: ToPythonWorker) => {
      const copy = structuredClone(message)
      setTimeout(() => terminated || void host(copy))
    },
    terminate: () => {
      terminated = true
    }
  }
  return transport
}

export function inProcessClient(options: { crossOriginIsolated?: boolean } = {}): PythonClient {
  return new PythonClient({
    createTransport: inProcessTransport,
    indexURL: 'in-process/',
    crossOriginIsolated: options.crossOriginIsolated ?? true
  })
}
