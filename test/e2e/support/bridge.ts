import { buildSync } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { eventNames } from '../../../src/shared/contract'

/**
 * The page-side bridge (labBridge.page.ts) as one script, bundled with the wire codec the lab
 * server uses, so the frame format is written once; the contract's event names are bound.
 */
export function labBridgeScript(): string {
  const { outputFiles } = buildSync({
    entryPoints: [fileURLToPath(new URL('./labBridge.page.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    define: { LAB_EVENTS: JSON.stringify(eventNames) }
  })
  return outputFiles[0]!.text
}
