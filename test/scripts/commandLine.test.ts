import { Writable } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { commandLineArguments, Output } from '../../scripts/commandLine'

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

/** A stream that records what it is given, in order, and takes each write only when `release` is called. */
function heldStream(log: string[], name: string) {
  const held: (() => void)[] = []
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      log.push(`${name}:${chunk.toString().trimEnd().split('\n').join('|')}`)
      held.push(done)
    }
  })
  return { stream, release: () => held.splice(0).forEach((done) => done()) }
}

describe('Output', () => {
  test('a line for the other stream keeps its place among the lines, written only once the lines before it are taken', async () => {
    const log: string[] = []
    const out = heldStream(log, 'out')
    const err = new Writable({
      write: (chunk: Buffer, _e, done) => (log.push(`err:${chunk.toString().trimEnd()}`), done())
    })
    const output = new Output(out.stream, err)
    output.otherLine('e0') // nothing waits before it: at once
    await output.line('a')
    output.otherLine('e1')
    await output.line('b')
    const flushing = output.flush()
    await new Promise((resolve) => setImmediate(resolve))
    // 'a' is being written; e1 waits until the stream has taken it.
    expect(log).toEqual(['err:e0', 'out:a'])
    out.release()
    await new Promise((resolve) => setImmediate(resolve))
    out.release()
    await flushing
    expect(log).toEqual(['err:e0', 'out:a', 'err:e1', 'out:b'])
  })

  test('lines and the other stream’s lines waiting together are written once they fill a block: a slow reader holds the writer back', async () => {
    const log: string[] = []
    const out = heldStream(log, 'out')
    const err = new Writable({ write: (_chunk, _e, done) => done() })
    const output = new Output(out.stream, err)
    const line = 'x'.repeat(1023)
    let written = 0
    // Half of the block in lines, half in errors between them.
    for (; written < 31; written++) {
      await output.line(line)
      output.otherLine(line)
    }
    await output.line(line)
    const blocked = output.line(line).then(() => 'returned')
    const state = await Promise.race([blocked, new Promise((resolve) => setImmediate(() => resolve('waiting')))])
    expect(state).toBe('waiting')
    for (let i = 0; i < 40 && log.length < 33; i++) {
      out.release()
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(await blocked).toBe('returned')
  })
})
