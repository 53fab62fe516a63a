/**
 * Python's fnmatch for single names: `*`, `?`, `[seq]`, `[!seq]`, no quoting, `*` and `?` match
 * anything including newlines and leading dots. A port of CPython's fnmatch.translate (Lib/fnmatch.py)
 * to a JavaScript RegExp, including its odd corners (`[]]`, `[!]`, reversed ranges dropped, an
 * unclosed `[` matching itself) and its protection against catastrophic backtracking: interior
 * `*fixed` pieces are matched atomically (CPython uses `(?>.*?fixed)`; JavaScript has no atomic
 * groups, so the classic `(?=(.*?fixed))\1` stands in).
 * Case follows os.path.normcase: sensitive on POSIX, insensitive on Windows.
 */

const STAR = Symbol('star')
type Piece = string | typeof STAR

const SYNTAX = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/'])

function escapeChar(c: string): string {
  return SYNTAX.has(c) ? `\\${c}` : c
}

/** The body of a bracket expression pat[start:end] (code points), as CPython builds it, made valid for a `u` RegExp. */
function bracket(chars: string[], start: number, end: number): string {
  let stuff: string
  const slice = (from: number, to: number): string => chars.slice(from, to).join('')
  if (!chars.slice(start, end).includes('-')) {
    stuff = slice(start, end).replaceAll('\\', '\\\\')
  } else {
    const chunks: string[][] = []
    let i = start
    let k = chars[start] === '!' ? start + 2 : start + 1
    for (;;) {
      k = chars.indexOf('-', k)
      if (k < 0 || k >= end) break
      chunks.push(chars.slice(i, k))
      i = k + 1
      k = k + 3
    }
    const chunk = chars.slice(i, end)
    if (chunk.length > 0) chunks.push(chunk)
    else chunks.at(-1)!.push('-')
    // Remove empty ranges (like z-a): invalid in a RegExp, and matching nothing in Python.
    for (let m = chunks.length - 1; m > 0; m--) {
      const previous = chunks[m - 1]!
      const current = chunks[m]!
      if (previous.at(-1)!.codePointAt(0)! > current[0]!.codePointAt(0)!) {
        chunks[m - 1] = [...previous.slice(0, -1), ...current.slice(1)]
        chunks.splice(m, 1)
      }
    }
    stuff = chunks.map((c) => c.join('').replaceAll('\\', '\\\\').replaceAll('-', '\\-')).join('-')
  }
  if (stuff === '') return '(?!)'
  if (stuff === '!') return '.'
  if (stuff.startsWith('!')) stuff = `^${stuff.slice(1)}`
  else if (stuff.startsWith('^') || stuff.startsWith('[')) stuff = `\\${stuff}`
  // Python accepts a literal `]` as the first member; a JavaScript class needs it escaped.
  return `[${stuff.replaceAll(']', '\\]')}]`
}

/** fnmatch.translate: the RegExp source (without flags) that matches a whole name. */
export function translate(pattern: string): string {
  const chars = Array.from(pattern)
  const n = chars.length
  const pieces: Piece[] = []
  let i = 0
  while (i < n) {
    const c = chars[i++]!
    if (c === '*') {
      if (pieces.at(-1) !== STAR) pieces.push(STAR)
    } else if (c === '?') {
      pieces.push('.')
    } else if (c === '[') {
      let j = i
      if (j < n && chars[j] === '!') j++
      if (j < n && chars[j] === ']') j++
      while (j < n && chars[j] !== ']') j++
      if (j >= n) pieces.push('\\[')
      else {
        pieces.push(bracket(chars, i, j))
        i = j + 1
      }
    } else {
      pieces.push(escapeChar(c))
    }
  }

  let source = ''
  let group = 0
  let p = 0
  while (p < pieces.length && pieces[p] !== STAR) source += pieces[p++] as string
  while (p < pieces.length) {
    p++ // a STAR
    if (p === pieces.length) {
      source += '.*'
      break
    }
    let fixed = ''
    while (p < pieces.length && pieces[p] !== STAR) fixed += pieces[p++] as string
    if (p === pieces.length) source += `.*${fixed}`
    else {
      group++
      source += `(?=(.*?${fixed}))\\${group}`
    }
  }
  return `^(?:${source})$`
}

const caseInsensitive = process.platform === 'win32'

/** fnmatch.fnmatch(name, pattern) as a compiled predicate. */
export function compileFnmatch(pattern: string): (name: string) => boolean {
  const regexp = new RegExp(translate(pattern), caseInsensitive ? 'sui' : 'su')
  return (name) => regexp.test(name)
}
