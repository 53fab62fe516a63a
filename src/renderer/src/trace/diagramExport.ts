/**
 * The Step tab's diagram as a file: a standalone SVG (the theme's colours written into each
 * element as presentation attributes, since the page's stylesheet does not travel with it, and
 * the CSP refuses style attributes) or a PNG drawn from that SVG.
 */
import { canvasToPng } from '@renderer/sweep/sweepDownload'

const STYLED_PROPERTIES = [
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'letter-spacing'
] as const

/** A copy of the diagram that looks the same without the page: computed styles written in. */
export function standaloneSvg(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement
  const originals = [svg, ...svg.querySelectorAll('*')]
  const copies = [copy, ...copy.querySelectorAll('*')]
  originals.forEach((original, index) => {
    const target = copies[index] as SVGElement
    const computed = getComputedStyle(original)
    for (const name of STYLED_PROPERTIES) {
      const value = computed.getPropertyValue(name)
      if (value !== '') target.setAttribute(name, value)
    }
    target.removeAttribute('class')
    // The diagram's min-width in the page: the file has its width.
    target.removeAttribute('style')
    for (const attribute of [...target.attributes]) {
      if (attribute.name.startsWith('data-v-')) target.removeAttribute(attribute.name)
    }
  })
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg')
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`
}

/** The diagram as a PNG at `scale` times its size (2 by default, sharp on high-density screens). */
export async function diagramPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const text = standaloneSvg(svg)
  const width = Number(svg.getAttribute('width'))
  const height = Number(svg.getAttribute('height'))
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }))
  try {
    const image = new Image()
    image.src = url
    await image.decode()
    const canvas = document.createElement('canvas')
    canvas.width = Math.ceil(width * scale)
    canvas.height = Math.ceil(height * scale)
    const context = canvas.getContext('2d')
    if (context === null) throw new Error('The diagram could not be drawn into a PNG (no 2D canvas).')
    context.scale(scale, scale)
    context.drawImage(image, 0, 0, width, height)
    return await canvasToPng(canvas)
  } finally {
    URL.revokeObjectURL(url)
  }
}
