// `node --import ./register.mjs out/main/index.js`: resolves `electron` to the fake beside this file.
import { register } from 'node:module'

register(
  'data:text/javascript,' +
    encodeURIComponent(`
      const fake = ${JSON.stringify(new URL('./electron.mjs', import.meta.url).href)}
      export async function resolve(specifier, context, next) {
        if (specifier === 'electron') return { url: fake, shortCircuit: true }
        return next(specifier, context)
      }
    `)
)
