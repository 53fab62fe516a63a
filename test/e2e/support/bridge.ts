import { readFileSync } from 'node:fs'
import { eventNames } from '../../../src/shared/contract'

/** The page-side bridge (labBridge.page.js) with the contract's event names bound. */
export function labBridgeScript(): string {
  const source = readFileSync(new URL('./labBridge.page.js', import.meta.url), 'utf8')
  return `const LAB_EVENTS = ${JSON.stringify(eventNames)};\n${source}`
}
