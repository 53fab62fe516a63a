/**
 * The one rule for a number written out as text, one per line: what the Text mode reads (Python's
 * float() of a line), and what tells a file of such numbers from other text (dataFileHead).
 */

// Unambiguous on purpose (no nested optional digit runs), so a long garbage line cannot backtrack for ages.
export const FLOAT_LITERAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
export const SPECIAL_LITERAL = /^([+-]?)(inf|infinity|nan)$/i

/** Whether a token (a line without its blanks) is a number readTextLazy reads: a float literal, inf or nan. */
export function isNumberToken(token: string): boolean {
  return FLOAT_LITERAL.test(token) || SPECIAL_LITERAL.test(token)
}

/** The number a token writes (isNumberToken), or undefined when it writes none. */
export function numberOfToken(token: string): number | undefined {
  if (FLOAT_LITERAL.test(token)) return Number(token)
  const special = SPECIAL_LITERAL.exec(token)
  if (special === null) return undefined
  if (special[2]!.toLowerCase() === 'nan') return NaN
  return special[1] === '-' ? -Infinity : Infinity
}

/**
 * A token (lineToken: never empty, never starting with '#') without the '#' comment that may
 * follow its text, as np.loadtxt cuts "2.0  # a note" to "2.0". Only needed once the token is not
 * a number as it stands, so plain lines pay nothing for it.
 */
export function withoutComment(token: string): string {
  const hash = token.indexOf('#')
  return hash === -1 ? token : lineToken(token, 0, hash)!
}

/** The number a line's token writes, a '#' comment after it allowed; undefined when it writes none. */
export function numberOfLine(token: string): number | undefined {
  return numberOfToken(token) ?? (token.includes('#') ? numberOfToken(withoutComment(token)) : undefined)
}

/** The blanks float() strips around a line's number (line ends are not part of a line). */
function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 11 || code === 12
}

/**
 * The token of the line text[start, end) (without its terminator) for isNumberToken: the line
 * without its blanks; undefined for a blank line or a '#' comment, which hold no number.
 */
export function lineToken(text: string, start: number, end: number): string | undefined {
  while (start < end && isBlank(text.charCodeAt(start))) start++
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--
  if (start === end || text.charCodeAt(start) === 35 /* # */) return undefined
  return text.slice(start, end)
}
