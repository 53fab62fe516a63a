/**
 * The colours the charts draw with: the design tokens of base.css, read at run time (Chart.js
 * draws on a canvas, which CSS variables do not reach), and read again when the OS switches
 * between light and dark.
 */
import { onBeforeUnmount, onMounted, shallowRef, type ShallowRef } from 'vue'
import type { ChartTheme } from './sweepChart'

export function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement)
  // The fallbacks are the light theme's tokens, for a page without the stylesheet (component tests).
  const token = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback
  return {
    text: token('--text', '#1d2330'),
    muted: token('--text-muted', '#5a6475'),
    grid: token('--border', '#d5d9e0'),
    panel: token('--bg-panel', '#ffffff'),
    band: token('--accent-soft', '#e3eafc'),
    modes: {
      lazyItem: token('--state-running', '#a25300'),
      lazyChunk: token('--accent', '#2f5bd3'),
      text: token('--state-created', '#6655d1'),
      eager: token('--ok', '#1b7747')
    }
  }
}

/** The chart theme of a component, kept in step with the OS's light or dark setting while it is mounted. */
export function useChartTheme(): ShallowRef<ChartTheme> {
  const theme = shallowRef(readChartTheme())
  let scheme: MediaQueryList | undefined
  const onScheme = (): void => {
    theme.value = readChartTheme()
  }
  onMounted(() => {
    theme.value = readChartTheme()
    scheme = window.matchMedia?.('(prefers-color-scheme: dark)')
    scheme?.addEventListener('change', onScheme)
  })
  onBeforeUnmount(() => scheme?.removeEventListener('change', onScheme))
  return theme
}
