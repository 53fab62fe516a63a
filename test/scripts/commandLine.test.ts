import { describe, expect, test } from 'vitest'
import { commandLineArguments } from '../../scripts/commandLine'

/** /proc/self/cmdline's shape: each word, NUL-ended. */
const cmdline = (...words: (string | Buffer)[]): (() => Uint8Array) => {
  return () => Buffer.concat(words.flatMap((word) => [Buffer.from(word), Buffer.from([0])]))
}
const node = ['/usr/bin/node', '--import', 'tsx', 'scripts/walk.ts']

describe('commandLineArguments: arguments as Python has them', () => {
  test('an argument that is not valid UTF-8 keeps its bytes, as surrogate escapes', () => {
    const raw = cmdline(...node, '--json', Buffer.from([0x2f, 0x74, 0x2f, 0xff]), 'x')
    expect(commandLineArguments(['--json', '/t/\uFFFD', 'x'], raw)).toEqual(['--json', '/t/\udcff', 'x'])
  })

  test('UTF-8 arguments are process.argv as it is; /proc is not read', () => {
    const unread = (): Uint8Array => {
      throw new Error('read')
    }
    expect(commandLineArguments(['/tmp/日本', '--exclude', '.git'], unread)).toEqual(['/tmp/日本', '--exclude', '.git'])
  })

  test('a real U+FFFD in a name, or a command line that does not line up, leaves process.argv alone', () => {
    // The user typed U+FFFD itself: its UTF-8 bytes decode to it, so it stays.
    expect(commandLineArguments(['a\uFFFD'], cmdline(...node, 'a\uFFFD'))).toEqual(['a\uFFFD'])
    // Words that are not the arguments Node decoded (or no /proc): nothing is trusted.
    expect(commandLineArguments(['a\uFFFD'], cmdline(...node, Buffer.from([0x62, 0xff])))).toEqual(['a\uFFFD'])
    expect(
      commandLineArguments(['a\uFFFD'], () => {
        throw new Error('no /proc')
      })
    ).toEqual(['a\uFFFD'])
  })
})
