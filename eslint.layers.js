/**
 * The layers of the code and what each may import, in the spirit of VS Code's code-layering rule:
 *
 *   shared    src/shared     imports no other layer: main and the renderer both run it
 *   renderer  src/renderer   shared only: it reaches main through window.lab, never by import
 *   lab       src/main/lab   shared only, and no electron: plain Node, testable without Electron
 *   glue      src/main, src/preload   lab and shared, never the renderer
 *
 * Imports are resolved to files (relative paths and the @renderer and @shared aliases), so a climb such as
 * ../../main/lab/x is judged by where it lands, not by how it is spelled.
 */
import { dirname, relative, resolve } from 'node:path'

const root = import.meta.dirname

/** Most specific first: a file belongs to the first layer whose folder holds it. */
const layers = [
  { name: 'lab', folder: 'src/main/lab/', may: ['lab', 'shared'] },
  { name: 'glue', folder: 'src/main/', may: ['glue', 'lab', 'shared'], electron: true },
  { name: 'glue', folder: 'src/preload/', may: ['glue', 'shared'], electron: true },
  { name: 'renderer', folder: 'src/renderer/', may: ['renderer', 'shared'] },
  { name: 'shared', folder: 'src/shared/', may: ['shared'] }
]

function layerOf(file) {
  const path = relative(root, file).split('\\').join('/')
  return layers.find((layer) => path.startsWith(layer.folder))
}

function targetOf(file, specifier) {
  const bare = specifier.replace(/\?.*$/, '')
  if (bare.startsWith('@renderer/')) return resolve(root, 'src/renderer/src', bare.slice('@renderer/'.length))
  if (bare.startsWith('@shared/')) return resolve(root, 'src/shared', bare.slice('@shared/'.length))
  if (bare.startsWith('.')) return resolve(dirname(file), bare)
  return undefined
}

const layering = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only the layers below it (see eslint.layers.js).' },
    schema: []
  },
  create(context) {
    const from = layerOf(context.filename)
    if (from === undefined) return {}
    function check(node) {
      const specifier = node.source?.value
      if (typeof specifier !== 'string') return
      if (specifier === 'electron' || specifier.startsWith('electron/')) {
        if (from.electron !== true)
          context.report({ node, message: `The ${from.name} layer must not import electron.` })
        return
      }
      const target = targetOf(context.filename, specifier)
      const to = target === undefined ? undefined : layerOf(target)
      if (to !== undefined && !from.may.includes(to.name)) {
        context.report({ node, message: `The ${from.name} layer must not import the ${to.name} layer (${specifier}).` })
      }
    }
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check
    }
  }
}

export default { rules: { layering } }
