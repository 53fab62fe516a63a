'use strict'
// Built by `npm install` (node-gyp). Yield Lab loads this package optionally and falls back to
// Node's fs when it is missing, so a failed build costs speed, not function.
module.exports = require('./build/Release/yield_lab_native.node')
