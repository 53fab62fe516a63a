/**
 * The shared modules load in any order; inodeNumber: an inode number as the walk's stat records keep it (a double). Numbers above 2^53
 * come from NTFS (file ids) and overlayfs with xino (a layer's number in the top bits); the
 * numbers kept must tell apart the files those file systems tell apart.
 */
import { execFile } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import { inodeNumber } from '../../src/shared/inodes'

const exact = (value: number): boolean => Number.isSafeInteger(value) && value >= 0

describe('inodeNumber', () => {
  test('up to 2^53 - 1, the number itself', () => {
    for (const ino of [0n, 1n, 12n, 2n ** 32n + 7n, 2n ** 53n - 1n]) expect(inodeNumber(ino)).toBe(Number(ino))
  })

  test('NTFS file ids of one volume stay apart: neighbours, and any reuse count against a small id of the same record', () => {
    const id = (reuses: bigint, record: bigint): bigint => (reuses << 48n) | record
    const ids = [id(0xc6n, 0x35370n), id(0xc6n, 0x35371n), id(0xffffn, 0x35372n), id(31n, 0x35373n), id(1n, 5n)]
    const kept = ids.map(inodeNumber)
    expect(kept.every(exact)).toBe(true)
    expect(new Set(kept).size).toBe(ids.length)
  })

  test('overlayfs xino numbers (2^63 and up, negative from a bigint stat) stay apart from the upper layer ones', () => {
    const lower = [(1n << 63n) | 2n, (1n << 63n) | 3n]
    const signed = lower.map((ino) => BigInt.asIntN(64, ino)) // as Node's bigint stat gives them
    expect(signed.every((ino) => ino < 0n)).toBe(true)
    const kept = [...signed.map(inodeNumber), inodeNumber(2n), inodeNumber(3n)]
    expect(kept.every(exact)).toBe(true)
    expect(new Set(kept).size).toBe(4)
    expect(signed.map(inodeNumber)).toEqual(lower.map(inodeNumber))
  })
})

describe('the shared modules', () => {
  test('each loads first on its own in Node (no import cycle reads a binding before it is made)', async () => {
    const shared = join(import.meta.dirname, '../../src/shared')
    const modules = readdirSync(shared).filter((name) => name.endsWith('.ts'))
    const outcomes = await Promise.all(
      modules.map(
        (name) =>
          new Promise<string>((done) => {
            execFile(
              process.execPath,
              ['--import', 'tsx', '-e', `await import(${JSON.stringify(pathToFileURL(join(shared, name)).href)})`],
              (error, _stdout, stderr) =>
                done(error === null ? `${name}: loads` : `${name}: ${stderr.trim().split('\n')[0]}`)
            )
          })
      )
    )
    expect(outcomes).toEqual(modules.map((name) => `${name}: loads`))
  })
})
