import { execFileSync, spawnSync } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import {
  checkWritable,
  checkWritableFolder,
  removeStaleTemporaryFiles,
  replaceableFile,
  STALE_TEMPORARY_MS,
  temporaryPath,
  writeAtomically
} from '../../../src/main/lab/temporaryFiles'
import { rejectedLabError } from '../../support/labErrors'
import { canMountTmpfs, runOnTmpfs } from '../../support/mountedTmpfs'
import { runUnprivilegedScript } from '../../support/unprivileged'

let folder: string
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'yield-lab-atomic-'))
})
afterEach(() => rmSync(folder, { recursive: true, force: true }))

/** The folder's names, but for the temporary files a failed write must not leave behind. */
const listing = (): string[] => readdirSync(folder).sort()

describe('writeAtomically replaces only a regular file with one link', () => {
  test('a new file, and a regular file replaced: its mode is kept', async () => {
    const target = join(folder, 'scan.json')
    await writeAtomically(target, 'first')
    expect(readFileSync(target, 'utf8')).toBe('first')
    chmodSync(target, 0o600)
    await writeAtomically(target, 'second')
    expect(readFileSync(target, 'utf8')).toBe('second')
    expect(statSync(target).mode & 0o7777).toBe(0o600)
    expect(listing()).toEqual(['scan.json'])
  })

  test.runIf(process.getuid?.() === 0)('run as root, a replaced file keeps its owner', async () => {
    const target = join(folder, 'theirs.json')
    writeFileSync(target, 'old')
    chownSync(target, 65534, 65534)
    await writeAtomically(target, 'new')
    expect(readFileSync(target, 'utf8')).toBe('new')
    expect(statSync(target)).toMatchObject({ uid: 65534, gid: 65534 })
  })

  test.runIf(process.platform !== 'win32')(
    'a write-protected file is refused and kept; a folder that takes no files is named as the problem',
    () => {
      const protectedFile = join(folder, 'protected.json')
      writeFileSync(protectedFile, 'keep me')
      chmodSync(protectedFile, 0o444)
      const locked = join(folder, 'locked')
      mkdirSync(locked)
      writeFileSync(join(locked, 'writable.json'), 'old')
      chmodSync(locked, 0o555)
      const script = `
        import { writeAtomically } from ${JSON.stringify(join(import.meta.dirname, '../../../src/main/lab/temporaryFiles'))}
        const messages = []
        for (const target of ${JSON.stringify([protectedFile, join(locked, 'writable.json')])}) {
          try {
            await writeAtomically(target, 'new')
            messages.push('written')
          } catch (error) {
            messages.push(error.code + ' ' + error.message)
          }
        }
        process.stdout.write(JSON.stringify(messages))
      `
      const messages = JSON.parse(runUnprivilegedScript(script, folder)) as string[]
      chmodSync(locked, 0o755)
      expect(messages).toEqual([
        `PERMISSION_DENIED ${protectedFile}: is write-protected for this account; refusing to replace it. Choose another name, or make it writable first.`,
        `PERMISSION_DENIED ${join(locked, 'writable.json')}: cannot be written: this account may not add files to its folder ${locked}`
      ])
      expect(readFileSync(protectedFile, 'utf8')).toBe('keep me')
      expect(statSync(protectedFile).mode & 0o777).toBe(0o444)
      expect(readFileSync(join(locked, 'writable.json'), 'utf8')).toBe('old')
    }
  )

  test.runIf(process.platform !== 'win32')(
    "another user's file is refused for an account that could not give the new file its owner",
    () => {
      const theirs = join(folder, 'theirs.json')
      writeFileSync(theirs, 'old')
      const owner = statSync(theirs).uid
      expect(() => replaceableFile(theirs, owner + 1)).toThrow(
        `${theirs}: belongs to another user (uid ${owner}); replacing it would make it this account's. Choose another name.`
      )
      expect(replaceableFile(theirs, owner)?.uid).toBe(owner)
      expect(replaceableFile(theirs, 0)?.uid).toBe(owner)
    }
  )

  test('a FIFO is refused and stays a FIFO', async () => {
    const fifo = join(folder, 'pipe')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    const error = await rejectedLabError(writeAtomically(fifo, 'data'))
    expect(error.code).toBe('NOT_A_REGULAR_FILE')
    expect(error.message).toBe(`${fifo}: is a named pipe (FIFO); refusing to replace it. Choose another name.`)
    expect(lstatSync(fifo).isFIFO()).toBe(true)
    expect(listing()).toEqual(['pipe'])
  })

  test('a socket is refused and stays a socket', async () => {
    const socket = join(folder, 'sock')
    const server: Server = createServer()
    await new Promise<void>((resolve) => server.listen(socket, resolve))
    try {
      const error = await rejectedLabError(writeAtomically(socket, 'data'))
      expect(error.message).toBe(`${socket}: is a socket; refusing to replace it. Choose another name.`)
      expect(lstatSync(socket).isSocket()).toBe(true)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  test('a symlink is refused: neither the link nor its target changes', async () => {
    const real = join(folder, 'real.json')
    const link = join(folder, 'link.json')
    writeFileSync(real, 'kept')
    symlinkSync(real, link)
    const error = await rejectedLabError(writeAtomically(link, 'data'))
    expect(error.code).toBe('NOT_A_REGULAR_FILE')
    expect(error.message).toBe(
      `${link}: is a symbolic link (saving would replace the link, not its target); refusing to replace it. Choose another name.`
    )
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(real, 'utf8')).toBe('kept')
    expect(listing()).toEqual(['link.json', 'real.json'])
  })

  test('a hard-linked file is refused: its names keep sharing the old content', async () => {
    const one = join(folder, 'one.json')
    const other = join(folder, 'other.json')
    writeFileSync(one, 'shared')
    linkSync(one, other)
    const error = await rejectedLabError(writeAtomically(one, 'data'))
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      `${one}: has 2 hard links (the other names would keep the old content); refusing to replace it. Choose another name.`
    )
    expect(statSync(one).ino).toBe(statSync(other).ino)
    expect(readFileSync(other, 'utf8')).toBe('shared')
  })

  test('a directory, or a name ending in a separator, is refused and nothing is made', async () => {
    mkdirSync(join(folder, 'sub'))
    expect((await rejectedLabError(writeAtomically(join(folder, 'sub'), 'data'))).code).toBe('IS_A_DIRECTORY')
    const slashed = `${join(folder, 'new.json')}/`
    const error = await rejectedLabError(writeAtomically(slashed, 'data'))
    expect(error.message).toBe(`${slashed}: ends with a separator, so it names a folder; a file name was expected`)
    expect(listing()).toEqual(['sub'])
  })

  test.runIf(process.platform === 'linux')('a folder that takes no new files is named as the problem', async () => {
    const error = await rejectedLabError(writeAtomically('/proc/version', 'data'))
    expect(error.code).toBe('PERMISSION_DENIED')
    expect(error.message).toBe(
      '/proc/version: cannot be written: its folder /proc takes no new files (a system folder such as /proc?)'
    )
  })

  test('a long final name still fits: the temporary name keeps only what fits of it', async () => {
    const name = `${'é'.repeat(110)}.json` // 225 bytes: legal, though the temporary prefix makes it too long whole
    const target = join(folder, name)
    expect(Buffer.byteLength(temporaryPath(folder, name).slice(folder.length + 1))).toBeLessThanOrEqual(255)
    await writeAtomically(target, 'data')
    expect(listing()).toEqual([name])
  })
})

describe('checks before the work', () => {
  test.runIf(process.platform === 'linux' && process.getuid?.() === 0)(
    'a folder where files can be made but not removed (chattr +a) is refused as such, naming the test file left there',
    () => {
      const appendOnly = join(folder, 'append-only')
      mkdirSync(appendOnly)
      execFileSync('chattr', ['+a', appendOnly])
      try {
        let message = ''
        try {
          checkWritable(join(appendOnly, 'scan.json'), { probe: true })
        } catch (error) {
          message = (error as Error).message
        }
        const [left] = readdirSync(appendOnly)
        expect(message).toBe(
          `${join(appendOnly, 'scan.json')}: cannot be written: ${appendOnly} lets files be made but not removed or renamed (an append-only folder?), which writing a file whole needs; the test file ${join(appendOnly, left!)} could not be removed`
        )
        // A folder still to be made in it does not inherit that: no probe there, nothing more left.
        checkWritableFolder(join(appendOnly, 'history', 'sweeps'), { probe: true })
        checkWritable(join(appendOnly, 'new', 'scan.json'), { folderMade: true, probe: true })
        expect(readdirSync(appendOnly)).toEqual([left])
      } finally {
        execFileSync('chattr', ['-a', appendOnly])
      }
    }
  )

  test.runIf(process.platform === 'linux' && process.getuid?.() === 0)(
    'as root, a folder that access() grants but that takes no files (/proc) is refused, folders to be made in it too; a probe leaves nothing',
    () => {
      expect(() => checkWritable('/proc/scan.json')).toThrow(
        '/proc/scan.json: cannot be written: its folder /proc takes no new files (a system folder such as /proc?)'
      )
      // Folders still to be made there are refused too, before making them (Node's recursive mkdir never returns there).
      expect(() => checkWritableFolder('/proc/new/sweeps')).toThrow(
        '/proc/new/sweeps: cannot be written: /proc, where the folders on its way would be made takes no new files (a system folder such as /proc?)'
      )
      expect(() => checkWritable('/proc/scan.json', { probe: true })).toThrow(
        '/proc/scan.json: cannot be written: its folder /proc takes no new files (a system folder such as /proc?)'
      )
      checkWritable(join(folder, 'scan.json'), { probe: true })
      checkWritableFolder(join(folder, 'new', 'sweeps'), { probe: true })
      expect(listing()).toEqual([])
    }
  )

  test('a broken symbolic link on the way is named, not taken for a folder still to be made', () => {
    const link = join(folder, 'results')
    symlinkSync(join(folder, 'gone'), link)
    for (const check of [
      () => checkWritableFolder(join(link, 'sweeps')),
      () => checkWritable(join(link, 'out.json'), { folderMade: true }),
      () => checkWritable(join(link, 'out.json'))
    ])
      expect(check).toThrow(
        `is a broken symbolic link: it points to ${join(folder, 'gone')}, and nothing exists at its end`
      )
    expect(listing()).toEqual(['results'])
  })
})

describe('a read-only file system', () => {
  test.runIf(canMountTmpfs)('is READ_ONLY in every write check, naming it', () => {
    const mounted = join(folder, 'ro')
    mkdirSync(mounted)
    const run = runOnTmpfs(
      mounted,
      'ro',
      join(folder, 'script.mts'),
      `import { checkWritable, checkWritableFolder, writeAtomically } from ${JSON.stringify(join(import.meta.dirname, '../../../src/main/lab/temporaryFiles'))}
      const outcomes = []
      for (const attempt of [
        () => checkWritable(${JSON.stringify(join(mounted, 'scan.json'))}),
        () => checkWritableFolder(${JSON.stringify(join(mounted, 'sweeps'))}),
        () => writeAtomically(${JSON.stringify(join(mounted, 'scan.json'))}, 'x')
      ]) {
        try {
          await attempt()
          outcomes.push('written')
        } catch (error) {
          outcomes.push(error.code + ' ' + error.message)
        }
      }
      process.stdout.write(JSON.stringify(outcomes))`
    )
    expect(run.status, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual([
      `READ_ONLY ${join(mounted, 'scan.json')}: cannot be written: ${mounted} is on a read-only file system`,
      `READ_ONLY ${join(mounted, 'sweeps')}: cannot be written: ${mounted} is on a read-only file system`,
      `READ_ONLY ${join(mounted, 'scan.json')}: cannot be written: ${mounted} is on a read-only file system`
    ])
  })
})

describe('stale temporary files', () => {
  /** Two days on: what a cleanup then finds stale. */
  const inTwoDays = (): number => Date.now() + 2 * STALE_TEMPORARY_MS

  test('only names of our own shape are removed; a user file with our prefix stays', () => {
    const ours = '.yield-lab-tmp-12-0-0a1b2c3d-scan.json'
    const theirs = '.yield-lab-tmp-important.txt'
    for (const name of [ours, theirs]) writeFileSync(join(folder, name), 'x')
    removeStaleTemporaryFiles(folder, inTwoDays())
    expect(listing()).toEqual([theirs])
  })

  test('two of our names linked only to each other (cp -al, a dedup tool) both go once stale', () => {
    const first = '.yield-lab-tmp-12-0-0a1b2c3d-scan.json'
    const second = '.yield-lab-tmp-12-0-4e5f6a7b-scan.json'
    writeFileSync(join(folder, first), 'x')
    linkSync(join(folder, first), join(folder, second))
    removeStaleTemporaryFiles(folder)
    expect(listing()).toEqual([first, second])
    removeStaleTemporaryFiles(folder, inTwoDays())
    expect(listing()).toEqual([])
  })

  test('our name of a user’s file goes once stale; the user’s name keeps the file', () => {
    const ours = '.yield-lab-tmp-12-0-0a1b2c3d-data.bin'
    writeFileSync(join(folder, 'data.bin'), 'the user’s')
    linkSync(join(folder, 'data.bin'), join(folder, ours))
    removeStaleTemporaryFiles(folder, inTwoDays())
    expect(listing()).toEqual(['data.bin'])
    expect(readFileSync(join(folder, 'data.bin'), 'utf8')).toBe('the user’s')
  })

  test('a name made a moment ago for a file last written two days ago is not stale, once its only name too', () => {
    const ours = '.yield-lab-tmp-12-0-0a1b2c3d-data.bin'
    writeFileSync(join(folder, 'data.bin'), 'previous')
    const twoDaysAgo = (Date.now() - 2 * STALE_TEMPORARY_MS) / 1000
    utimesSync(join(folder, 'data.bin'), twoDaysAgo, twoDaysAgo)
    // What a write replacing data.bin does: keep a second name, then rename the new file over data.bin.
    linkSync(join(folder, 'data.bin'), join(folder, ours))
    writeFileSync(join(folder, 'new.bin'), 'new')
    renameSync(join(folder, 'new.bin'), join(folder, 'data.bin'))
    removeStaleTemporaryFiles(folder)
    expect(listing()).toEqual([ours, 'data.bin'])
    expect(readFileSync(join(folder, ours), 'utf8')).toBe('previous')
  })
})
