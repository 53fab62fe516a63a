/**
 * How a name that is not valid UTF-8 must read where people see it, spelled out here rather than
 * taken from the code under test: each escaped byte as U+FFFD, then the note, right after the name.
 */
export const NOT_UTF8_NOTE = '(a name that is not valid UTF-8, shown with U+FFFD)'

/** `name` (with surrogate escapes) as it must be shown: U+FFFD for each escaped byte, then the note. */
export function shownWithNote(name: string): string {
  return `${name.replace(/[\uDC80-\uDCFF]/g, '\uFFFD')} ${NOT_UTF8_NOTE}`
}
