/**
 * The theme tokens: every colour used for text is legible (WCAG AA, 4.5:1 for small text) on
 * every background token, in both themes. The e2e accessibility pass checks what is rendered; this
 * checks the tokens themselves, including states the e2e pass rarely catches on screen (GEN_RUNNING).
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { contrastRatio as contrast } from '../../../support/contrast'

const css = readFileSync(resolve(import.meta.dirname, '../../../../src/renderer/src/assets/base.css'), 'utf8')

const textTokens = [
  'text',
  'text-muted',
  'accent',
  'ok',
  'warn',
  'danger',
  'state-created',
  'state-running',
  'state-suspended',
  'state-closed'
]
const backgroundTokens = ['bg', 'bg-panel', 'bg-sunken', 'bg-hover', 'accent-soft', 'danger-soft']

/** The `--name: #rrggbb` declarations of one block of the stylesheet. */
function tokensIn(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\b/gi)].map((m) => [m[1]!, m[2]!]))
}

function themes(): Record<'light' | 'dark', Record<string, string>> {
  const darkStart = css.indexOf('@media (prefers-color-scheme: dark)')
  const lightBlock = css.slice(css.indexOf(':root'), darkStart)
  const darkBlock = css.slice(darkStart, css.indexOf('\n}\n', darkStart))
  const light = tokensIn(lightBlock)
  return { light, dark: { ...light, ...tokensIn(darkBlock) } }
}

describe('theme tokens', () => {
  test('the contrast of known pairs', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
    expect(contrast('#2f7fd3', '#f6f7f9')).toBeCloseTo(3.84, 2)
    expect(contrast('rgb(117, 117, 117)', 'rgb(255, 255, 255)')).toBeCloseTo(4.61, 2)
  })

  test('each theme defines every token', () => {
    for (const tokens of Object.values(themes()))
      for (const name of [...textTokens, ...backgroundTokens, 'accent-text']) expect(tokens[name], name).toBeDefined()
  })

  test.each(['light', 'dark'] as const)('%s: every text colour is at least 4.5:1 on every background', (theme) => {
    const tokens = themes()[theme]
    const tooFaint: string[] = []
    for (const text of textTokens) {
      for (const background of backgroundTokens) {
        const ratio = contrast(tokens[text]!, tokens[background]!)
        if (ratio < 4.5) tooFaint.push(`--${text} on --${background}: ${ratio.toFixed(2)}:1`)
      }
    }
    const onAccent = contrast(tokens['accent-text']!, tokens['accent']!)
    if (onAccent < 4.5) tooFaint.push(`--accent-text on --accent: ${onAccent.toFixed(2)}:1`)
    expect(tooFaint).toEqual([])
  })
})
