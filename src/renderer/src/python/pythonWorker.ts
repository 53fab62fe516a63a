/**
 * The Web Worker that hosts Python, so a long computation never blocks the window. Pyodide is
 * imported at run time from the app's own pyodide/ folder (shipped with the build, no CDN).
 */
/// <reference lib="webworker" />
import consoleSource from './console.py?raw'
import traceRecorderSource from './trace_recorder.py?raw'
import type { ToPythonWorker } from './protocol'
import { createPythonHost } from './pythonHost'

declare const self: DedicatedWorkerGlobalScope

const handle = createPythonHost({
  post: (message) => self.postMessage(message),
  consoleSource,
  traceRecorderSource,
  async loadRuntime({ indexURL, onProgress }) {
    onProgress('downloading')
    const { loadPyodide } = (await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`)) as typeof import('pyodide')
    return loadPyodide({
      indexURL,
      packages: [],
      // Called once the wasm runtime is compiled and instantiated, before the interpreter starts.
      fsInit: async () => onProgress('starting')
    })
  }
})

self.onmessage = (event: MessageEvent<ToPythonWorker>) => void handle(event.data)
