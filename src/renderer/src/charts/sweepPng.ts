/**
 * The exported PNG of the sweep chart: the chart as drawn on screen, with a title, the file, the
 * sweep's settings, the date and the machine above it, and the legend (the modes' colours, each
 * run's line, the marks) below it, so the image says what it shows on its own.
 */
import type { LegendEntry } from './sweepChart'

export interface ChartCaption {
  title: string
  lines: string[]
}

export interface PngColors {
  background: string
  text: string
  muted: string
}

const PAD = 16
const TITLE_FONT = '600 15px system-ui, sans-serif'
const LINE_FONT = '12px system-ui, sans-serif'
const TITLE_HEIGHT = 22
const LINE_HEIGHT = 17
const LEGEND_HEIGHT = 28

/** `text` cut with an ellipsis to fit `width` pixels in the context's current font. */
function fit(context: CanvasRenderingContext2D, text: string, width: number): string {
  if (context.measureText(text).width <= width) return text
  let low = 0
  let high = text.length
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    if (context.measureText(`${text.slice(0, mid)}…`).width <= width) low = mid
    else high = mid - 1
  }
  return `${text.slice(0, low)}…`
}

function drawSample(context: CanvasRenderingContext2D, entry: LegendEntry, x: number, y: number, panel: string): void {
  context.save()
  context.strokeStyle = entry.color
  context.fillStyle = entry.color
  context.lineWidth = 2
  if (entry.sample === 'band') {
    context.globalAlpha = 0.3
    context.fillRect(x + 4, y - 4, 20, 8)
  } else if (entry.sample === 'hollow') {
    context.fillStyle = panel
    context.beginPath()
    context.arc(x + 14, y, 3.5, 0, 2 * Math.PI)
    context.fill()
    context.stroke()
  } else {
    context.setLineDash(entry.dash)
    context.beginPath()
    context.moveTo(x + 1, y)
    context.lineTo(x + 27, y)
    context.stroke()
    context.setLineDash([])
    if (entry.pointStyle !== null) {
      context.beginPath()
      context.arc(x + 14, y, 3.5, 0, 2 * Math.PI)
      context.fill()
    }
  }
  context.restore()
}

/**
 * A new canvas: caption, the chart canvas (`cssWidth` × `cssHeight` on screen), legend. Drawn at
 * the chart canvas's own pixel density.
 */
export function composeChartImage(
  chart: HTMLCanvasElement,
  cssWidth: number,
  cssHeight: number,
  caption: ChartCaption,
  legend: readonly LegendEntry[],
  colors: PngColors
): HTMLCanvasElement {
  const scale = chart.width / cssWidth
  const headerHeight = PAD + TITLE_HEIGHT + caption.lines.length * LINE_HEIGHT + 8
  const height = headerHeight + cssHeight + LEGEND_HEIGHT + PAD / 2
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(cssWidth * scale)
  canvas.height = Math.round(height * scale)
  const context = canvas.getContext('2d')
  if (context === null) throw new Error('The PNG could not be drawn: no 2D canvas.')
  context.scale(scale, scale)
  context.fillStyle = colors.background
  context.fillRect(0, 0, cssWidth, height)
  const textWidth = cssWidth - 2 * PAD
  context.textBaseline = 'top'
  context.fillStyle = colors.text
  context.font = TITLE_FONT
  context.fillText(fit(context, caption.title, textWidth), PAD, PAD)
  context.fillStyle = colors.muted
  context.font = LINE_FONT
  caption.lines.forEach((line, i) =>
    context.fillText(fit(context, line, textWidth), PAD, PAD + TITLE_HEIGHT + i * LINE_HEIGHT)
  )
  context.drawImage(chart, 0, headerHeight, cssWidth, cssHeight)
  // The legend, on as many entries as fit one line.
  const y = headerHeight + cssHeight + LEGEND_HEIGHT / 2
  context.textBaseline = 'middle'
  context.font = LINE_FONT
  let x = PAD
  for (const entry of legend) {
    const width = 34 + context.measureText(entry.label).width
    if (x + width > cssWidth - PAD) break
    drawSample(context, entry, x, y, colors.background)
    context.fillStyle = colors.text
    context.fillText(entry.label, x + 32, y)
    x += width + 14
  }
  return canvas
}
