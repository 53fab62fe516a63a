'use strict'
// Built by `npm install` (build.cjs). Yield Lab loads this package optionally and falls back to
// Node's fs when it is missing, so a failed build costs speed, not function. When loading fails,
// the error says why the build did not happen, as build.cjs recorded it.
const { readFileSync } = require('node:fs')
const { join } = require('node:path')

try {
  module.exports = require('./build/Release/yield_lab_native.node')
} catch (error) {
  let status
  try {
    status = JSON.parse(readFileSync(join(__dirname, 'build', 'status.json'), 'utf8'))
  } catch {
    status = undefined
  }
  const why =
    status === undefined
      ? 'it was never built (run npm install)'
      : status.built
        ? error.message
        : `not built: ${status.reason}`
  throw new Error(`Yield Lab native helper unavailable: ${why}`, { cause: error })
}
