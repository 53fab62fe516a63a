/** toLabError: every errno a user can meet gets its own code and plain words; nothing else matches by accident. */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { toLabError } from '../../../src/main/lab/errors'
import { LabError } from '../../../src/shared/errors'
import { displayName } from '../../../src/shared/fsNames'
import { NOT_UTF8_NOTE, shownWithNote } from '../../support/notUtf8'
import { runUnprivilegedScript } from '../../support/unprivileged'

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: raw message`), { code })
}

describe('toLabError', () => {
  it('says a path is a dangling symbolic link, or which name on its way is missing, a dangling link or not a folder, where the errno alone misleads', () => {
    const root = mkdtempSync(join(tmpdir(), 'yield-lab-errors-'))
    try {
      const dangling = join(root, 'dangling')
      symlinkSync(join(root, 'gone'), dangling)
      const notes = join(root, 'notes.txt')
      writeFileSync(notes, 'x')
      mkdirSync(join(root, 'folder'))
      const caught = (run: () => unknown): LabError => {
        try {
          run()
        } catch (error) {
          return toLabError(error)
        }
        throw new Error('it did not throw')
      }
      const ls = (path: string) => caught(() => readdirSync(path))
      // The link exists (lstat finds it); what is missing is its target.
      expect(ls(dangling).message).toBe(
        `${dangling}: is a broken symbolic link: it points to ${join(root, 'gone')}, and nothing exists at its end`
      )
      // A chain of links broken further down: what it points to exists (a link), so that is not what it says.
      const chain = join(root, 'chain')
      symlinkSync(dangling, chain)
      expect(ls(chain).message).toBe(
        `${chain}: is a broken symbolic link: it points to ${dangling}, and nothing exists at its end`
      )
      expect(ls(dangling).code).toBe('NOT_FOUND')
      // ENOTDIR blamed "x"; the file on the way is the problem.
      expect(ls(join(notes, 'x')).message).toBe(
        `${join(notes, 'x')}: ${notes} is not a folder, so nothing is inside it`
      )
      expect(ls(join(notes, 'x')).code).toBe('NOT_A_DIRECTORY')
      // Where the errno says it all, it is left as it is.
      expect(ls(notes).message).toBe(`${notes}: is not a directory`)
      // The missing name on the way is named, and a dangling link on the way or with a trailing slash is said to be one.
      expect(ls(join(root, 'folder', 'missing', 'x')).message).toBe(
        `${join(root, 'folder', 'missing', 'x')}: ${join(root, 'folder', 'missing')} does not exist`
      )
      expect(ls(join(dangling, 'x')).message).toBe(
        `${join(dangling, 'x')}: ${dangling} is a broken symbolic link: it points to ${join(root, 'gone')}, and nothing exists at its end`
      )
      expect(ls(`${dangling}/`).message).toBe(
        `${dangling}/: is a broken symbolic link: it points to ${join(root, 'gone')}, and nothing exists at its end`
      )
      expect(ls(join(root, 'missing')).message).toBe(`${join(root, 'missing')}: does not exist`)
      // On POSIX a backslash is part of a name: "dangling\\" is another name, which does not exist.
      if (process.platform !== 'win32') expect(ls(`${dangling}\\`).message).toBe(`${dangling}\\: does not exist`)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it.runIf(process.platform !== 'win32')(
    'a folder on the way that may not be entered is named, not the name after it; an unreadable folder itself is left as it is',
    () => {
      const root = mkdtempSync(join(tmpdir(), 'yield-lab-errors-'))
      const closed = join(root, 'closed')
      mkdirSync(join(closed, 'sub'), { recursive: true })
      mkdirSync(join(root, 'unlisted'))
      chmodSync(closed, 0o000)
      chmodSync(join(root, 'unlisted'), 0o311)
      try {
        const script = `
          import { readdirSync } from 'node:fs'
          import { toLabError } from ${JSON.stringify(join(import.meta.dirname, '../../../src/main/lab/errors'))}
          const messages = []
          for (const path of ${JSON.stringify([join(closed, 'sub'), closed, join(root, 'unlisted')])}) {
            try {
              readdirSync(path)
            } catch (error) {
              const lab = toLabError(error)
              messages.push(lab.code + ' ' + lab.message)
            }
          }
          process.stdout.write(JSON.stringify(messages))
        `
        expect(JSON.parse(runUnprivilegedScript(script, root))).toEqual([
          `PERMISSION_DENIED ${join(closed, 'sub')}: ${closed} may not be entered by this account (it lacks search permission), so nothing inside it can be reached`,
          `PERMISSION_DENIED ${closed}: permission denied`,
          `PERMISSION_DENIED ${join(root, 'unlisted')}: permission denied`
        ])
      } finally {
        chmodSync(closed, 0o755)
        rmSync(root, { recursive: true, force: true })
      }
    }
  )

  it.each([
    ['ENOSPC', 'NO_SPACE', 'no space left'],
    ['EDQUOT', 'NO_SPACE', 'quota'],
    ['EROFS', 'READ_ONLY', 'read-only'],
    ['EIO', 'IO_ERROR', 'input/output error'],
    ['EMFILE', 'TOO_MANY_OPEN_FILES', 'too many files are open'],
    ['ENFILE', 'TOO_MANY_OPEN_FILES', 'too many files open'],
    ['EBUSY', 'BUSY', 'busy']
  ])('%s becomes %s with a plain message naming the file', (errno, code, words) => {
    const error = toLabError(errnoError(errno), '/data/x.bin')
    expect(error.code).toBe(code)
    expect(error.path).toBe('/data/x.bin')
    expect(error.message).toMatch(new RegExp(`^/data/x\\.bin: .*${words}`))
    expect(error.message).not.toContain('raw message')
  })

  it('a path too long for the system says how long it is, and its longest name, not "a name is too long"', () => {
    const deep = `/t/${Array.from({ length: 300 }, (_, i) => `level${String(i).padStart(3, '0')}`).join('/')}`
    const error = toLabError(errnoError('ENAMETOOLONG'), deep)
    expect(error.code).toBe('INVALID_ARGUMENT')
    const pathMax = { linux: '4,096', darwin: '1,024' }[process.platform as string]
    const limits =
      pathMax === undefined ? '' : ` (this system takes paths of up to ${pathMax} bytes, names of up to 255)`
    expect(error.message).toBe(
      `${deep}: is too long for the system: the path is 2,702 bytes, its longest name 8${limits}`
    )
    const long = `/t/${'n'.repeat(300)}`
    expect(toLabError(errnoError('ENAMETOOLONG'), long).message).toContain(
      'the path is 303 bytes, its longest name 300'
    )
  })

  it('on Windows, a path too long is measured name by name between backslashes too', () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!
    Object.defineProperty(process, 'platform', { ...platform, value: 'win32' })
    try {
      const deep = `C:\\Users\\me\\${'deep\\'.repeat(60)}file.bin`
      expect(toLabError(errnoError('ENAMETOOLONG'), deep).message).toBe(
        `${deep}: is too long for the system: the path is 320 bytes, its longest name 8`
      )
    } finally {
      Object.defineProperty(process, 'platform', platform)
    }
  })

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
    'an inherited key (%s) is not an errno: INTERNAL',
    (key) => {
      const error = toLabError(errnoError(key), '/x')
      expect(error.code).toBe('INTERNAL')
      expect(error.message).toBe(`/x: ${key}: raw message`)
    }
  )

  describe('a name that is not valid UTF-8 (surrogate escapes)', () => {
    // In a folder that exists: ENOENT is then about the name itself.
    const path = join(tmpdir(), 'caf\udcff.bin')
    const shown = shownWithNote(path)

    it('a LabError naming it (as the readers throw) is shown as displayName shows it; its path keeps the bytes', () => {
      const error = toLabError(new LabError('MALFORMED_DATA', `${path}: 12 bytes is not a whole number`, path))
      expect(error.code).toBe('MALFORMED_DATA')
      expect(error.message).toBe(`${shown}: 12 bytes is not a whole number`)
      expect(error.path).toBe(path)
    })

    it('an errno error for it, and a name that is not where the message starts, are shown so too', () => {
      expect(toLabError(errnoError('ENOENT'), path).message).toBe(`${shown}: does not exist`)
      const cancelled = toLabError(new LabError('CANCELLED', `Reading ${path} was cancelled`, path))
      expect(cancelled.message).toBe(`Reading ${shown} was cancelled`)
    })

    it('escaped bytes outside its path are shown with U+FFFD too, and said so at the end', () => {
      const error = toLabError(new LabError('INVALID_ARGUMENT', `${path} and ${path}.txt differ`))
      expect(error.message).toBe(`${displayName(path)} and ${displayName(path)}.txt differ ${NOT_UTF8_NOTE}`)
    })

    it('a message with no escaped bytes is left as it is, so converting twice changes nothing', () => {
      const plain = new LabError('NOT_FOUND', '/data/x.bin: does not exist', '/data/x.bin')
      expect(toLabError(plain)).toBe(plain)
      const once = toLabError(errnoError('ENOENT'), path)
      expect(toLabError(once).message).toBe(once.message)
    })
  })
})
