/**
 * The console transcript, written like the interactive interpreter's: input echoed after `>>> `
 * and `... ` prompts, then what it printed. Kept under a size cap so the window stays responsive.
 */
export type EntryKind = 'input' | 'stdout' | 'stderr' | 'notice'

export interface TranscriptEntry {
  id: number
  kind: EntryKind
  text: string
}

/** The transcript keeps at most this many characters; older entries give way. */
export const TRANSCRIPT_LIMIT_CHARS = 600_000

/**
 * Input as it is run and echoed: trailing blanks go, except that a multi-line input ending in an
 * empty line (or one of only indentation, left by auto-indent) keeps it, as the REPL's block end.
 */
export function normalizeInput(source: string): string {
  const trimmed = source.replace(/\s+$/, '')
  const endsBlock = trimmed.includes('\n') && /\n[ \t]*$/.test(source)
  return endsBlock ? `${trimmed}\n` : trimmed
}

/** `>>> ` before the first line, `... ` before the others (a bare `...` for an empty line). */
export function promptedInput(source: string): string {
  const lines = normalizeInput(source).split('\n')
  return lines.map((line, index) => (index === 0 ? '>>> ' : line === '' ? '...' : '... ') + line).join('\n')
}

function entryText(entry: TranscriptEntry): string {
  return entry.kind === 'input' ? `${entry.text}\n` : entry.text
}

export function transcriptText(entries: readonly TranscriptEntry[]): string {
  return entries.map(entryText).join('')
}

let nextEntryId = 1
const EARLIER_REMOVED = '[earlier transcript removed to keep the console responsive]\n'

/**
 * Appends to the transcript, merging output into the previous entry of the same kind, then drops
 * the oldest entries while the transcript is over its cap.
 */
export function appendEntry(
  entries: TranscriptEntry[],
  kind: EntryKind,
  text: string,
  limit = TRANSCRIPT_LIMIT_CHARS
): void {
  const last = entries.at(-1)
  if (kind !== 'input' && last !== undefined && last.kind === kind) last.text += text
  else entries.push({ id: nextEntryId++, kind, text })
  let size = entries.reduce((sum, entry) => sum + entry.text.length, 0)
  let dropped = 0
  while (size > limit && entries.length > 1) {
    size -= entries.shift()!.text.length
    dropped++
  }
  if (dropped > 0 && entries[0]?.text !== EARLIER_REMOVED)
    entries.unshift({ id: nextEntryId++, kind: 'notice', text: EARLIER_REMOVED })
}
