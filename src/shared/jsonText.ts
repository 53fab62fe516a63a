/**
 * Why text that JSON.parse refused is not JSON, in words for an import's error: an empty file and
 * binary data are said as such (the parser's own message would show NUL bytes as blanks).
 */
export function whyNotJson(text: string, error: unknown): string {
  if (text.trim() === '') return 'the file is empty'
  if (text.includes('\u0000')) return 'it holds binary data (NUL bytes), not JSON text'
  return `it is not JSON (${error instanceof Error ? error.message : String(error)}); it may be cut off or corrupt`
}
