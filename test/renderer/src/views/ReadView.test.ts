/**
 * The Read tab against the real main-process handlers and job workers, in-process: generate a
 * sample file, read it every way (pull and push), bad input, eager refusal, overwrite, cancel,
 * chained files, sorting and removing rows, the explanation, the chart and the Python.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import ReadView from '@renderer/views/ReadView.vue'
import { useJobsStore } from '@renderer/stores/jobs'
import { useNavigationStore } from '@renderer/stores/navigation'
import { useReadStore } from '@renderer/stores/read'
import { useSweepStore } from '@renderer/stores/sweep'
import type { JobHost } from '../../../../src/main/lab/jobs/jobHost'
import type { LabApi } from '@shared/contract'
import { installInProcessLab } from '../../../support/inProcessLab'
import { shownWithNote } from '../../../support/notUtf8'
import { until } from '../../../support/until'

let jobs: JobHost
let dir: string
let wrapper: VueWrapper | undefined

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yield-lab-readview-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => {
  localStorage.clear()
  jobs = installInProcessLab().jobs
  setActivePinia(createPinia())
})
afterEach(async () => {
  wrapper?.unmount()
  wrapper = undefined
  await jobs.closeAll()
})

/** The bar charts are stubbed (happy-dom has no canvas); their captions say what they draw (readRunsChart.test.ts). */
const mountOptions = { attachTo: document.body }
vi.mock('vue-chartjs', () => ({
  Bar: defineComponent({
    props: { data: { type: Object, required: true }, options: { type: Object, required: true } },
    setup: () => () => h('canvas')
  })
}))

/** Mounts the tab writing into its own folder, with a 64 MiB eager limit (the test lab reports 1 byte of RAM). */
async function mountRead(folder: string): Promise<ReturnType<typeof useReadStore>> {
  wrapper = mount(ReadView, mountOptions)
  const read = useReadStore()
  await read.init()
  read.info!.totalMemoryBytes = 16 * 1024 ** 3
  read.sample.directory = join(dir, folder)
  read.memoryLimitMiB = 64
  await flushPromises()
  return read
}

const find = (testid: string) => wrapper!.find(`[data-testid=${testid}]`)
const rowCount = (): number => wrapper!.findAll('[data-testid=read-results] tbody tr[data-testid]').length

async function runMode(
  read: ReturnType<typeof useReadStore>,
  mode: 'eager' | 'lazyItem' | 'lazyChunk' | 'text',
  rows: number
): Promise<void> {
  await find(`read-mode-${mode}`).find('input').setValue(true)
  expect(read.form.mode).toBe(mode)
  await find('read-run').trigger('click')
  await until(() => rowCount() === rows, `run ${rows} (${mode}) finished: ${read.runFailure?.message ?? ''}`)
}

describe('Read tab', () => {
  // Generates and reads five times: on a busy machine this takes longer than the default 5 s.
  test(
    'generates a sample file, reads it eager, lazy and text, pull and push: all sums agree',
    { timeout: 30_000 },
    async () => {
      const read = await mountRead('agree')
      expect(find('read-results').text()).toContain('No runs yet')
      expect(find('read-run').attributes('disabled')).toBeDefined()

      await find('read-generate-toggle').trigger('click')
      expect(find('read-sample-target').text()).toBe(`${join(dir, 'agree')}/sample-1MiB-seed0.bin`)
      // The text twin is off by default; its size and time are told before it is asked for.
      const twin = find('read-sample-text')
      expect((twin.element as HTMLInputElement).checked).toBe(false)
      expect(find('read-sample-text-estimate').text()).toMatch(/^\(\.txt, 3\.13 MiB, about .+\)$/)
      await twin.setValue(true)
      await find('read-sample-generate').trigger('click')
      await until(() => find('read-sample-done').exists(), 'generated')
      expect(find('read-sample-done').text()).toContain('Wrote 131,072 items')
      expect(readdirSync(join(dir, 'agree')).sort()).toEqual([
        'sample-1MiB-seed0.bin',
        'sample-1MiB-seed0.json',
        'sample-1MiB-seed0.txt'
      ])
      expect((find('read-path').element as HTMLInputElement).value).toBe(join(dir, 'agree', 'sample-1MiB-seed0.bin'))
      expect(find('read-known-file').text()).toContain('sum 65,485.57042319')

      await runMode(read, 'eager', 1)
      await runMode(read, 'lazyItem', 2)
      await runMode(read, 'lazyChunk', 3)
      // Text mode asks before it changes the file to the text twin.
      await find('read-mode-text').find('input').setValue(true)
      expect(read.form.path).toBe(join(dir, 'agree', 'sample-1MiB-seed0.bin'))
      expect(find('read-path-switch').text()).toContain(
        'switch the file from sample-1MiB-seed0.bin to sample-1MiB-seed0.txt?'
      )
      await find('read-path-switch-yes').trigger('click')
      expect(read.form.path).toBe(join(dir, 'agree', 'sample-1MiB-seed0.txt'))
      expect(find('read-path-switch').exists()).toBe(false)
      await runMode(read, 'text', 4)
      await find('read-style-push').setValue(true)
      await find('read-mode-lazyItem').find('input').setValue(true)
      await find('read-path-switch-yes').trigger('click')
      await runMode(read, 'lazyItem', 5)
      expect(read.form.path).toBe(join(dir, 'agree', 'sample-1MiB-seed0.bin'))

      expect(read.results.map((r) => [r.mode, r.style, r.count])).toEqual([
        ['eager', 'pull', 131072],
        ['lazyItem', 'pull', 131072],
        ['lazyChunk', 'pull', 131072],
        ['text', 'pull', 131072],
        ['lazyItem', 'push', 131072]
      ])
      expect(wrapper!.findAll('[data-testid=read-row-agreement]').map((cell) => cell.text())).toEqual([
        '✓',
        '✓',
        '✓',
        '✓',
        '✓'
      ])
      const table = find('read-results').text()
      expect(table).toContain('whole file')
      expect(table).toContain('8,192 (64.0 KiB)')
      expect(find('read-status').text()).toContain('Done')

      await find('read-clear').trigger('click')
      expect(rowCount()).toBe(0)
    }
  )

  test('chunk size: bytes shown, sweet-spot hint, tiny-chunk warning, bad values refused before running', async () => {
    const read = await mountRead('chunks')
    read.form.path = '/anything.bin'
    await find('read-chunk').setValue('8192')
    expect(find('read-chunk-bytes').text()).toBe('= 64.0 KiB per read()')
    expect(find('read-chunk-hint').text()).toContain('sweet spot: at least 10–100 KB at a time.')
    // Larger is no departure from the lecture, which sets a least size only.
    await find('read-chunk').setValue('131072')
    expect(find('read-chunk-hint').text()).toBe(
      'Big chunks: few reads, more memory per chunk. The lecture asks for at least 10–100 KB at a time.'
    )
    await find('read-chunk').setValue('8192')
    expect(find('read-chunk-unit').text()).toBe('items')
    await find('read-chunk').setValue('1')
    expect(find('read-chunk-unit').text()).toBe('item')
    await find('read-chunk').setValue('4')
    expect(find('read-chunk-hint').text()).toContain('tiny chunks are ~100× slower')
    for (const bad of ['0', '-2', '1.5', '999999999999']) {
      await find('read-chunk').setValue(bad)
      expect(find('read-run').attributes('disabled'), bad).toBeDefined()
      expect(find('read-chunk-hint').text(), bad).toContain(
        'Chunk size must be a whole number of items from 1 to 134217728 (1 GiB of float64)'
      )
    }
    await find('read-mode-eager').find('input').setValue(true)
    expect(find('read-run').attributes('disabled')).toBeUndefined()
    expect(find('read-chunk-hint').text()).toContain('no chunks')
  })

  test('errors name the file and the problem; the tab keeps working', async () => {
    const read = await mountRead('errors')
    const cases: [string, string, RegExp][] = [
      [join(dir, 'missing.bin'), 'lazyChunk', /missing\.bin: does not exist/],
      [dir, 'lazyItem', /is a directory/],
      ['/dev/zero', 'eager', /character device; only regular files can be read/]
    ]
    const odd = join(dir, 'odd.bin')
    writeFileSync(odd, new Uint8Array(8 * 4 + 5))
    cases.push([odd, 'lazyChunk', /5 trailing bytes/])
    const text = join(dir, 'bad.txt')
    writeFileSync(text, '1\n2\nthree\n')
    cases.push([text, 'text', /line 3 is not a number: "three"/])
    for (const [path, mode, message] of cases) {
      await find('read-path').setValue(path)
      await find(`read-mode-${mode}`).find('input').setValue(true)
      await find('read-run').trigger('click')
      await until(() => find('read-error').exists() && read.runPhase === 'idle', `error for ${path}`)
      expect(find('read-error').text()).toMatch(message)
      // The file is named once in the headline; its full path, which tells the folder, below it.
      expect(find('read-error').find('.headline').text()).not.toContain(path)
      expect(find('read-error-path').text()).toBe(path)
    }
    expect(find('read-error').find('.headline').text()).toBe('bad.txt: line 3 is not a number: "three"')
    expect(find('read-error').find('.code').text()).toBe(`${text} · MALFORMED_DATA`)
    const empty = join(dir, 'empty.bin')
    writeFileSync(empty, new Uint8Array(0))
    await find('read-path').setValue(empty)
    await find('read-mode-lazyChunk').find('input').setValue(true)
    await find('read-run').trigger('click')
    await until(() => rowCount() === 1, 'empty file read')
    expect(read.results[0]).toMatchObject({ sum: 0, count: 0 })
    expect(find('read-error').exists()).toBe(false)
  })

  test('an error goes away once the files to read are edited, as Browse… already made it go', async () => {
    const read = await mountRead('stale-error')
    const fail = async (): Promise<void> => {
      await find('read-run').trigger('click')
      await until(() => find('read-error').exists() && read.runPhase === 'idle', 'error')
      expect(find('read-error').text()).toContain('does not exist')
    }
    await find('read-path').setValue(join(dir, 'nope.bin'))
    await fail()
    await find('read-progress-every').setValue('2048') // not about the file: the error stays
    await find('read-mode-lazyItem').find('input').setValue(true)
    expect(find('read-error').exists()).toBe(true)
    await find('read-path').setValue(join(dir, 'nope.bi'))
    expect(find('read-error').exists()).toBe(false)

    // A chained file's error, by its field.
    const present = join(dir, 'present.bin')
    writeFileSync(present, new Float64Array([1, 2]))
    await find('read-path').setValue(present)
    read.form.chained.push(join(dir, 'gone.bin'))
    await flushPromises()
    await fail()
    await find('read-chained-0').setValue(join(dir, 'gone2.bin'))
    expect(find('read-error').exists()).toBe(false)
  })

  test('an error about how the data read goes away with another mode or dtype, which may read it', async () => {
    const read = await mountRead('stale-format-error')
    read.form.chained.splice(0)
    const fail = async (message: string): Promise<void> => {
      await find('read-run').trigger('click')
      await until(() => find('read-error').exists() && read.runPhase === 'idle', message)
      expect(find('read-error').text()).toContain(message)
    }
    // 36 bytes: 4 trailing bytes as float64, nine whole int32s.
    const int32s = join(dir, 'nine-int32.bin')
    writeFileSync(int32s, new Int32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))
    await find('read-path').setValue(int32s)
    await find('read-mode-lazyChunk').find('input').setValue(true)
    await find('read-dtype').setValue('float64')
    await fail('4 trailing bytes')
    await find('read-progress-every').setValue('4096') // not about how it reads: the error stays
    expect(find('read-error').exists()).toBe(true)
    await find('read-dtype').setValue('int32')
    expect(find('read-error').exists()).toBe(false)
    await find('read-run').trigger('click')
    await until(() => read.results.length === 1 && read.runPhase === 'idle', 'the int32 read')
    expect(read.results[0]).toMatchObject({ sum: 45, count: 9 })

    const text = join(dir, 'words.txt')
    writeFileSync(text, '1\ntwo\n')
    await find('read-path').setValue(text)
    await find('read-mode-text').find('input').setValue(true)
    await fail('line 2 is not a number')
    await find('read-mode-lazyItem').find('input').setValue(true)
    expect(find('read-error').exists()).toBe(false)
  })

  test('while a read runs its files cannot be edited, so its error names the file in the field; a sample written meanwhile is offered until another file is chosen', async () => {
    const dialogAnswers: string[] = []
    await jobs.closeAll()
    const lab = installInProcessLab({ dialogAnswers })
    jobs = lab.jobs
    // The read's pulls wait until the edits below are tried: it is running throughout, however fast.
    let release = (): void => {}
    let edited = new Promise<void>((resolve) => (release = resolve))
    const readJobs = new Set<string>()
    const invoke = lab.api.invoke
    lab.api.invoke = (async (channel: string, input: { id?: string; kind?: string }) => {
      if (channel === 'job.next' && readJobs.has(input.id!)) await edited
      const reply = (await invoke(channel as never, input as never)) as { ok: boolean; value?: { id: string } }
      if (channel === 'job.open' && input.kind === 'process' && reply.ok) readJobs.add(reply.value!.id)
      return reply
    }) as LabApi['invoke']
    const read = await mountRead('locked')
    // A text file that fails only at its last line.
    const late = join(dir, 'late-error.txt')
    writeFileSync(late, '0.5\n'.repeat(1000) + 'oops\n')
    await find('read-path').setValue(late)
    await find('read-mode-text').find('input').setValue(true)
    await find('read-chunk').setValue('1')
    await find('read-run').trigger('click')
    await until(() => read.runPhase === 'running', 'reading')
    expect(find('read-path').attributes('disabled')).toBeDefined()
    expect(find('read-browse').attributes('disabled')).toBeDefined()
    await find('read-path').setValue(join(dir, 'typed.bin'))
    dialogAnswers.push(join(dir, 'chosen.bin'), join(dir, 'chained.bin'))
    await read.chooseFile()
    await read.chainFile()
    // A sample file written meanwhile is offered, not made the file to read.
    await read.generate()
    expect(read.genOutcome).toBe('done')
    await flushPromises()
    expect(read.busy).toBe(true)
    expect(read.inputPaths).toEqual([late])
    expect(find('read-generated-during-run').text()).toMatch(/^✓ Wrote sample-1MiB-seed0\.bin while a read ran/)
    expect(find('read-generated-select').attributes('disabled')).toBeDefined()
    release()

    await until(() => find('read-error').exists() && read.runPhase === 'idle', 'the error at the last line')
    expect(find('read-error').find('.headline').text()).toBe('late-error.txt: line 1001 is not a number: "oops"')
    expect(find('read-error-path').text()).toBe(late)
    expect((find('read-path').element as HTMLInputElement).value).toBe(late)

    // Once the run is over the sample file can be taken.
    await find('read-generated-select').trigger('click')
    expect(read.form.path).toBe(read.lastGenerated!.binaryPath)
    expect(find('read-generated-during-run').exists()).toBe(false)
    expect(find('read-error').exists()).toBe(false)

    // Or left: it stays after the run, until another file is chosen to read.
    edited = new Promise<void>((resolve) => (release = resolve))
    await find('read-path').setValue(late)
    await find('read-run').trigger('click')
    await until(() => read.runPhase === 'running', 'reading again')
    await read.generate(true)
    await flushPromises()
    expect(find('read-generated-during-run').exists()).toBe(true)
    release()
    await until(() => read.runPhase === 'idle', 'the second run')
    expect(find('read-generated-during-run').exists()).toBe(true)
    await find('read-path').setValue(join(dir, 'other.bin'))
    expect(find('read-generated-during-run').exists()).toBe(false)
  })

  test.runIf(process.platform === 'linux')(
    'a file name that is not valid UTF-8 is shown with U+FFFD and the note: error box, refusal, status line, results',
    async () => {
      const read = await mountRead('not-utf8')
      writeFileSync(Buffer.from(join(dir, 'odd-\xff.bin'), 'latin1'), new Uint8Array(8 * 4 + 5))
      const odd = join(dir, 'odd-\udcff.bin')
      read.form.path = odd
      await find('read-mode-lazyChunk').find('input').setValue(true)
      await find('read-run').trigger('click')
      await until(() => find('read-error').exists() && read.runPhase === 'idle', 'error for odd-\udcff.bin')
      expect(find('read-error').find('.headline').text()).toBe(
        `${shownWithNote('odd-\udcff.bin')}: 37 bytes is not a whole number of float64 items (8 bytes each): 5 trailing bytes. Is the dtype right?`
      )
      expect(find('read-error-path').text()).toBe(shownWithNote(odd))

      writeFileSync(Buffer.from(join(dir, 'big-\xff.bin'), 'latin1'), new Uint8Array(8 * 40_000))
      read.memoryLimitMiB = 0.1
      read.form.path = join(dir, 'big-\udcff.bin')
      await find('read-mode-eager').find('input').setValue(true)
      await find('read-run').trigger('click')
      await until(() => find('read-error').exists() && read.runPhase === 'idle', 'refused')
      expect(find('read-error').find('.headline').text()).toBe(
        `Eager read refused. ${shownWithNote('big-\udcff.bin')} is 313 KiB, more than the eager memory limit of 102 KiB.`
      )

      // Read to its end, the name is shown the same way in the status line, the results and the explanation.
      writeFileSync(Buffer.from(join(dir, 'fine-\xff.bin'), 'latin1'), new Float64Array([1, 2, 3]))
      const fine = join(dir, 'fine-\udcff.bin')
      read.form.path = fine
      await runMode(read, 'lazyChunk', 1)
      expect(find('read-status-files').text()).toBe(shownWithNote('fine-\udcff.bin'))
      expect(find('read-status-files').attributes('title')).toBe(shownWithNote(fine))
      expect(find('read-row-file').text()).toBe(shownWithNote('fine-\udcff.bin'))
      expect(find('read-explain').text()).toContain(shownWithNote('fine-\udcff.bin'))
      // The status bar's job and the reader's log line too.
      const job = useJobsStore().jobs.at(-1)!
      expect(job.label).toBe(`Lazy per chunk: ${shownWithNote('fine-\udcff.bin')}`)
      await until(() => job.log.length >= 2, 'the reader told what it opened and closed')
      expect(job.log[0]).toBe(`opened ${shownWithNote(fine)} (24 bytes)`)
    }
  )

  test('a text file read in a binary mode is read, with a warning naming it; a binary file has none', async () => {
    const read = await mountRead('text-as-binary')
    const text = join(dir, 'numbers.txt')
    writeFileSync(text, '1.5\n'.repeat(1000))
    await find('read-path').setValue(text)
    await runMode(read, 'lazyChunk', 1)
    expect(read.results[0]).toMatchObject({ outcome: 'done', count: 500 })
    expect(find('read-warnings').text()).toBe(
      `Warning: ${text}: this looks like a text file (numbers written out as text). The binary modes read its characters as float64 items, as np.fromfile would, so the sum means nothing; the Text mode reads it as numbers.`
    )
    const binary = join(dir, 'numbers.bin')
    writeFileSync(binary, new Uint8Array(new Float64Array([1.5, 2.5]).buffer))
    await find('read-path').setValue(binary)
    await runMode(read, 'eager', 2)
    expect(read.results[1]).toMatchObject({ outcome: 'done', sum: 4 })
    expect(find('read-warnings').exists()).toBe(false)
  })

  test('eager refuses files over the memory limit, explains why lazy reading exists, and reads lazily on request', async () => {
    const read = await mountRead('eager')
    const path = join(dir, 'eager.bin')
    writeFileSync(path, new Uint8Array(new Float64Array(Array.from({ length: 40_000 }, (_, i) => i)).buffer))
    read.memoryLimitMiB = 0.1
    read.form.path = path
    await find('read-mode-eager').find('input').setValue(true)
    await find('read-run').trigger('click')
    await until(() => find('read-error').exists(), 'refused')
    const text = find('read-error').text()
    expect(text).toContain('Eager read refused. eager.bin is 313 KiB, more than the eager memory limit of 102 KiB.')
    expect(text).toContain('That is why lazy reading exists')
    await find('read-lazily-instead').trigger('click')
    await until(() => rowCount() === 1, 'read lazily instead')
    expect(read.results[0]).toMatchObject({ mode: 'lazyChunk', count: 40_000, sum: (39_999 * 40_000) / 2 })
    expect(find('read-error').exists()).toBe(false)

    // A limit above the RAM is refused (it would swap); reset gives a quarter of the RAM.
    await find('read-memory-limit').setValue('20000')
    expect(find('read-run').attributes('disabled')).toBeDefined()
    expect(find('read-status').text()).toContain("more than this machine's RAM (16.0 GiB)")
    read.memoryLimitMiB = null
    await flushPromises()
    expect(find('read-memory-limit-text').text()).toContain('4.00 GiB · ¼ of RAM')
    expect(find('read-run').attributes('disabled')).toBeUndefined()
  })

  test('the eager refusal goes away with its cause: the limit, the mode or the file', async () => {
    const read = await mountRead('eager-cleared')
    const path = join(dir, 'eager-cleared.bin')
    writeFileSync(path, new Uint8Array(new Float64Array(40_000).buffer))
    const refuse = async (): Promise<void> => {
      await find('read-memory-limit').setValue('0.1')
      await find('read-mode-eager').find('input').setValue(true)
      await find('read-run').trigger('click')
      await until(() => find('read-error').exists() && read.runPhase === 'idle', 'refused')
      expect(find('read-error').text()).toContain('Eager read refused.')
    }
    read.form.path = path

    await refuse()
    await find('read-progress-every').setValue('2048') // not the cause: the refusal stays
    expect(find('read-error').exists()).toBe(true)
    await find('read-memory-limit').setValue('') // back to the default, a quarter of the RAM
    expect(find('read-error').exists()).toBe(false)

    await refuse()
    await find('read-mode-lazyChunk').find('input').setValue(true)
    expect(find('read-error').exists()).toBe(false)

    await refuse()
    read.form.path = join(dir, 'another.bin')
    await flushPromises()
    expect(find('read-error').exists()).toBe(false)
  })

  test('the eager memory limit is kept across restarts of the app; reset forgets it', async () => {
    const restart = (): ReturnType<typeof useReadStore> => {
      setActivePinia(createPinia())
      return useReadStore()
    }
    useReadStore().memoryLimitMiB = 512
    await flushPromises()
    expect(restart().memoryLimitMiB).toBe(512)
    useReadStore().memoryLimitMiB = 'lots' // not a number: the kept limit stays
    await flushPromises()
    expect(restart().memoryLimitMiB).toBe(512)
    useReadStore().memoryLimitMiB = null
    await flushPromises()
    expect(restart().memoryLimitMiB).toBeNull()
    localStorage.setItem('yield-lab.read.memoryLimitMiB', '-5') // damaged: the default applies
    expect(restart().memoryLimitMiB).toBeNull()
  })

  test('generating over an existing file asks first, then overwrites on request', async () => {
    const read = await mountRead('overwrite')
    read.sample.withText = false
    await find('read-generate-toggle').trigger('click')
    await find('read-sample-seed').setValue('3')
    await find('read-sample-generate').trigger('click')
    await until(() => read.genOutcome === 'done', 'first generation')
    const firstSum = read.lastGenerated!.sum
    await find('read-generate-toggle').trigger('click')
    await find('read-sample-seed').setValue('3')
    await find('read-sample-name').setValue('sample-1MiB-seed3')
    await find('read-sample-generate').trigger('click')
    await until(() => find('read-overwrite').exists(), 'asked')
    expect(find('read-overwrite').text()).toContain(`${join(dir, 'overwrite', 'sample-1MiB-seed3.bin')} already exists`)
    await find('read-overwrite-yes').trigger('click')
    await until(() => read.genOutcome === 'done', 'overwritten')
    expect(read.lastGenerated!.sum).toBe(firstSum)
    expect(readdirSync(join(dir, 'overwrite')).sort()).toEqual(['sample-1MiB-seed3.bin', 'sample-1MiB-seed3.json'])
  })

  test('a typed folder is written only once the user allows it in main’s message box', async () => {
    const lab = installInProcessLab({ dataDirectory: join(dir, 'app-data'), confirmAnswers: [false, true] })
    jobs = lab.jobs
    wrapper = mount(ReadView, mountOptions)
    const read = useReadStore()
    await read.init()
    expect(read.sample.directory).toBe(join(dir, 'app-data'))
    read.sample.withText = false
    await find('read-generate-toggle').trigger('click')
    const typed = join(dir, 'typed')
    await find('read-sample-directory').setValue(typed)
    expect(find('read-sample-target').text()).toBe(`${typed}/sample-1MiB-seed0.bin`)

    await find('read-sample-generate').trigger('click')
    await until(() => find('read-sample-error').exists(), 'refused')
    expect(lab.questions.map((question) => question.message)).toEqual([`Allow Yield Lab to write into ${typed}?`])
    expect(find('read-sample-error').text()).toContain(`Nothing was written: writing into ${typed} was not allowed`)
    expect(existsSync(typed)).toBe(false)

    await find('read-sample-generate').trigger('click')
    await until(() => read.genOutcome === 'done', `generated: ${read.genError?.message ?? ''}`)
    expect(lab.questions).toHaveLength(2)
    expect(readdirSync(typed).sort()).toEqual(['sample-1MiB-seed0.bin', 'sample-1MiB-seed0.json'])
  })

  test('cancel mid-file stops the run, closes its generator, keeps the run as cancelled', async () => {
    const read = await mountRead('cancel')
    read.sample.preset = 'custom'
    read.sample.customMiB = 8
    read.sample.withText = false
    await read.generate()
    expect(read.genOutcome).toBe('done')
    await find('read-mode-lazyItem').find('input').setValue(true)
    await find('read-chunk').setValue('1')
    await find('read-run').trigger('click')
    await until(() => (read.progress?.stats['items'] ?? 0) > 0, 'progress arrived')
    expect(find('read-run').text()).toBe('Cancel')
    expect(find('read-live-items').text()).not.toBe('0')
    await find('read-run').trigger('click')
    await until(() => read.runPhase === 'idle', 'cancelled')
    expect(read.lastOutcome).toBe('cancelled')
    expect(find('read-status').text()).toContain('Cancelled')
    expect(rowCount()).toBe(1)
    expect(read.results[0]).toMatchObject({ outcome: 'cancelled', mode: 'lazyItem' })
    expect(read.results[0]!.bytes).toBeGreaterThan(0)
    expect(find('read-row-1').classes()).toContain('cancelled')
    expect(find('read-row-sum').text()).toMatch(/^cancelled after \d/)
    expect(find('read-row-1').find('[data-testid=read-row-agreement]').exists()).toBe(false)
    expect(jobs.openJobs()).toEqual([])
    expect(read.rssSamples.length).toBeGreaterThan(0)
  })

  test(
    'a sweep running in the Benchmark tab is told beside Run: before a read, and while both run',
    { timeout: 30_000 },
    async () => {
      const read = await mountRead('skew')
      read.sample.preset = 'custom'
      read.sample.customMiB = 4
      read.sample.withText = false
      await read.generate()
      const path = read.lastGenerated!.binaryPath
      expect(find('read-timing-skew').exists()).toBe(false)

      // A whole default sweep takes far longer than this test: it is cancelled at the end.
      const sweep = useSweepStore()
      sweep.form.path = path
      sweep.form.modes = { lazyItem: true, lazyChunk: true, text: false }
      sweep.form.maxChunk = 64 * 1024
      const sweeping = sweep.run()
      await until(() => find('read-timing-skew').exists(), `the sweep told in the Read tab: ${sweep.failure ?? ''}`)
      expect(find('read-timing-skew').text()).toBe(
        `Timings will be skewed: the Benchmark tab is running Sweep ${basename(path)}. A read started now shares the CPU with it, so both measure slower than either would alone.`
      )
      expect(find('read-run').attributes('disabled')).toBeUndefined() // told, not prevented

      await find('read-mode-lazyItem').find('input').setValue(true)
      await find('read-chunk').setValue('1')
      read.form.chained = [path, path] // one read() per item of three files: it is cancelled long before its end
      await find('read-run').trigger('click')
      await until(() => read.runPhase === 'running', 'reading')
      expect(find('read-timing-skew').text()).toBe(
        `Timings skewed: the Benchmark tab is running Sweep ${basename(path)} at the same time. The two share the CPU, so both measure slower than either would alone.`
      )

      await sweep.cancel()
      await sweeping
      await until(() => !find('read-timing-skew').exists(), 'the notice gone with the sweep')
      await read.cancelRun()
      await until(() => read.runPhase === 'idle', 'cancelled')
      // The row keeps what ran beside it, after the notice is gone.
      expect(read.results[0]!.sharedCpuWith).toEqual([`Sweep ${basename(path)}`])
      expect(find('read-row-skewed').attributes('title')).toBe(
        `Timed while Sweep ${basename(path)} ran: they shared the CPU, so this run measured slower than it would alone`
      )
      expect(wrapper!.text()).toContain('⚠ timed while other work ran')

      // A run alone has no mark.
      read.form.chained = []
      await find('read-mode-lazyChunk').find('input').setValue(true)
      await find('read-chunk').setValue('1024')
      await find('read-run').trigger('click')
      await until(() => read.results.length === 2 && read.runPhase === 'idle', 'a read alone')
      expect(read.results[1]!.sharedCpuWith).toEqual([])
      expect(find('read-row-2').find('[data-testid=read-row-skewed]').exists()).toBe(false)
    }
  )

  test('Esc cancels the run wherever focus is while the tab is shown, but only closes the Python dialog', async () => {
    const read = await mountRead('escape')
    useNavigationStore().show('read')
    read.sample.preset = 'custom'
    read.sample.customMiB = 8
    await read.generate()
    await find('read-mode-lazyItem').find('input').setValue(true)
    await find('read-chunk').setValue('1')
    await find('read-run').trigger('click')
    await until(() => read.runPhase === 'running', 'running')
    const escape = (target: Element): boolean =>
      target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }))

    // Esc in the Python dialog is the dialog's: the run goes on.
    await find('read-python').trigger('click')
    const dialog = find('read-python-dialog').element as HTMLDialogElement
    expect(dialog.open).toBe(true)
    escape(dialog)
    expect(read.runPhase).toBe('running')
    dialog.close()

    // Another tab shown: its Esc is its own.
    useNavigationStore().show('sweep')
    escape(document.body)
    expect(read.runPhase).toBe('running')

    // Back on the tab with focus outside it (the tab strip, or none): Esc cancels.
    useNavigationStore().show('read')
    expect(escape(document.body)).toBe(false)
    await until(() => read.runPhase === 'idle', 'cancelled')
    expect(read.lastOutcome).toBe('cancelled')
    expect(jobs.openJobs()).toEqual([])
  })

  test('chained files: one run reads them in order, with progress per file, as process(*data_iterables)', async () => {
    const dialogAnswers: string[] = []
    await jobs.closeAll()
    jobs = installInProcessLab({ dialogAnswers }).jobs
    const read = await mountRead('chain')
    read.sample.preset = 'custom'
    read.sample.customMiB = 2
    read.sample.name = 'first'
    await read.generate()
    const first = read.lastGenerated!
    read.sample.preset = '1MiB'
    read.sample.name = 'second.bin' // typed with the extension the generator adds: not second.bin.bin
    read.sample.seed = 5
    await read.generate()
    const second = read.lastGenerated!
    expect(basename(second.binaryPath)).toBe('second.bin')
    read.form.path = first.binaryPath
    dialogAnswers.push(second.binaryPath)
    await find('read-chain-add').trigger('click')
    await until(() => read.form.chained.length === 1, 'chained by Browse…')
    expect((find('read-chained-0').element as HTMLInputElement).value).toBe(second.binaryPath)
    expect(find('read-chain').text()).toContain('2 files read one after the other')

    await find('read-mode-lazyItem').find('input').setValue(true)
    await find('read-chunk').setValue('64')
    await find('read-run').trigger('click')
    await until(() => find('read-per-file').exists() || rowCount() === 1, 'per-file progress or done')
    await until(() => rowCount() === 1, `chained run finished: ${read.runFailure?.message ?? ''}`)
    const row = read.results[0]!
    expect(row.paths).toEqual([first.binaryPath, second.binaryPath])
    expect(row.count).toBe(first.count + second.count)
    expect(find('read-row-agreement').text()).toBe('✓') // against both sidecars' sums
    expect(find('read-row-file').text()).toBe('first.bin + second.bin')
    expect(find('read-row-file').attributes('title')).toBe(`${first.binaryPath}\n${second.binaryPath}`)
    expect(find('read-status-files').text()).toBe('first.bin + second.bin')
    expect(find('read-status').text()).toContain('64 items per read')
    // Per file: the last progress splits the bytes over the two files.
    expect(read.progress!.stats.inputBytes).toEqual([first.bytes, second.bytes])

    await find('read-unchain-0').trigger('click')
    expect(read.form.chained).toEqual([])
    expect(read.inputPaths).toEqual([first.binaryPath])
  })

  test('results sort by a column and back, rows can be removed; the picked run is explained; its Python shown', async () => {
    const read = await mountRead('rows')
    await read.generate()
    await runMode(read, 'eager', 1)
    await runMode(read, 'lazyChunk', 2)
    await find('read-chunk').setValue('1')
    await runMode(read, 'lazyItem', 3)
    const order = (): string[] =>
      wrapper!.findAll('[data-testid=read-results] tbody tr[data-testid]').map((tr) => tr.attributes('data-testid')!)

    await find('read-sort-time').trigger('click')
    const byTime = [...read.results].sort((a, b) => a.elapsedMs - b.elapsedMs).map((r) => `read-row-${r.run}`)
    expect(order()).toEqual(byTime)
    expect(find('read-sort-time').element.closest('th')!.getAttribute('aria-sort')).toBe('ascending')
    await find('read-sort-time').trigger('click')
    expect(order()).toEqual([...byTime].reverse())
    await find('read-sort-run').trigger('click')
    expect(order()).toEqual(['read-row-1', 'read-row-2', 'read-row-3'])

    // The latest run is explained until another is picked.
    expect(find('read-explain').text()).toContain('run 3, Lazy per item')
    expect(find('read-verdict').text()).toMatch(/^This run read only 8 B per read\(\) call/)
    await find('read-row-1').trigger('click')
    expect(find('read-explain').text()).toContain('run 1, Eager')
    const phases = ['allocate', 'read', 'sum'].map((name) => find(`read-phase-${name}`).text())
    expect(phases[0]).toMatch(/^allocate [\d.]+ (ms|s)$/)
    expect(phases[1]).toMatch(/^read \(and fault in\) [\d.]+ (ms|s)$/)
    expect(find('read-explain-faults').text()).toMatch(/page faults? while reading the 1\.00 MiB buffer/)
    expect(find('read-explain-cache').text()).toMatch(/^(Warm|Cold):/)
    expect(find('read-verdict').text()).toMatch(
      /^Eager (loses here|wins here|and lazy per chunk \(run \d+\) take about the same time)/
    )
    expect(find('read-chart-rate').text()).toMatch(
      /^MB\/s: run 1 \(Eager\) .+, run 2 \(Lazy per chunk\) .+, run 3 \(Lazy per item\) .+\.$/
    )
    expect(find('read-chart-rss').text()).toContain('Peak RSS (MiB): run 1 (Eager)')

    // From the keyboard: the rows are one Tab stop, the picked one's; arrows pick the run they reach.
    expect(['1', '2', '3'].map((run) => find(`read-row-${run}`).attributes('tabindex'))).toEqual(['0', '-1', '-1'])
    await find('read-row-1').trigger('keydown', { key: 'ArrowDown' })
    expect(find('read-explain').text()).toContain('run 2, Lazy per chunk')
    expect(find('read-row-2').attributes('tabindex')).toBe('0')
    await find('read-row-2').trigger('keydown', { key: 'End' })
    expect(find('read-explain').text()).toContain('run 3, Lazy per item')
    await find('read-row-3').trigger('keydown', { key: 'Home' })
    expect(find('read-explain').text()).toContain('run 1, Eager')
    await find('read-row-3').trigger('keydown', { key: 'Enter' })
    expect(find('read-explain').text()).toContain('run 3, Lazy per item')
    await find('read-row-3').trigger('keydown', { key: 'ArrowUp' })
    expect(find('read-explain').text()).toContain('run 2, Lazy per chunk')
    // Keys on a row's buttons stay theirs, and so do keys with a modifier.
    await find('read-row-remove-1').trigger('keydown', { key: 'ArrowDown' })
    expect(find('read-explain').text()).toContain('run 2, Lazy per chunk')
    await find('read-row-2').trigger('keydown', { key: 'ArrowDown', shiftKey: true })
    expect(find('read-explain').text()).toContain('run 2, Lazy per chunk')
    await find('read-row-2').trigger('keydown', { key: 'Home' })
    expect(find('read-explain').text()).toContain('run 1, Eager')

    await find('read-row-python-2').trigger('click')
    const code = find('read-python-code').text()
    expect(code).toContain(`total = process(read_binary_chunks('${read.results[1]!.paths[0]}', 8192))`)
    expect(find('read-python-dialog').text()).toContain('For run 2')

    await find('read-row-remove-1').trigger('click')
    expect(order()).toEqual(['read-row-2', 'read-row-3'])
    expect(find('read-results-count').text()).toBe('2 runs')
    expect(find('read-explain').text()).toContain('run 3') // the removed run was the picked one
    await find('read-row-remove-2').trigger('click')
    expect(find('read-results-count').text()).toBe('1 run')
  })

  test('text mode asks before switching to the twin; keeping the file keeps it', async () => {
    const read = await mountRead('switch')
    read.sample.withText = true
    await read.generate()
    const files = read.lastGenerated!
    await find('read-mode-text').find('input').setValue(true)
    expect(find('read-path-switch').exists()).toBe(true)
    await find('read-path-switch-no').trigger('click')
    expect(find('read-path-switch').exists()).toBe(false)
    expect(read.form.path).toBe(files.binaryPath)
    // Typing another path withdraws a pending question.
    await find('read-mode-eager').find('input').setValue(true)
    await find('read-mode-text').find('input').setValue(true)
    expect(find('read-path-switch').exists()).toBe(true)
    await find('read-path').setValue('/elsewhere.txt')
    expect(find('read-path-switch').exists()).toBe(false)
    expect(read.form.path).toBe('/elsewhere.txt')
  })
})
