/** Points of an SVG polyline for a series, scaled to width × height (y grows downwards). */
export function sparklinePoints(values: readonly number[], width: number, height: number, pad = 2): string {
  if (values.length === 0) return ''
  let min = Infinity
  let max = -Infinity
  for (const value of values) {
    if (value < min) min = value
    if (value > max) max = value
  }
  const span = max - min
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0
  return values
    .map((value, index) => {
      const x = values.length > 1 ? pad + index * step : width / 2
      const y = span > 0 ? pad + (1 - (value - min) / span) * (height - 2 * pad) : height / 2
      return `${x.toFixed(1)},${y.toFixed(1)}`
    })
    .join(' ')
}
