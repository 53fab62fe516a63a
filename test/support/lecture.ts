/**
 * The lecture's Python excerpts and transcripts, kept next to the tests (test/support/python-lecture.txt):
 * the reference the console is checked against in Node, in the component tests and in Chromium.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const lecture = readFileSync(join(import.meta.dirname, 'python-lecture.txt'), 'utf8')

/** A section of the lecture excerpts, by its `=== title` line. */
export function lectureSection(title: string): string {
  const start = lecture.indexOf(`=== ${title}\n`)
  if (start < 0) throw new Error(`no section ${title} in python-lecture.txt`)
  const body = lecture.slice(start + title.length + 5)
  const end = body.indexOf('\n=== ')
  return end < 0 ? body : body.slice(0, end + 1)
}

/** The COROUTINE EXAMPLE slide: the program (its line numbers 1…25 dropped), then the output it prints. */
export function coroutineExample(): { program: string; output: string } {
  const [program, rest] = lectureSection('COROUTINE EXAMPLE').split(/\n\n1\n2\n/) as [string, string]
  return { program: program.replace(/^ $/gm, ''), output: rest.slice(rest.indexOf('\n\n') + 2) }
}
