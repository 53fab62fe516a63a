/**
 * The walk store's `for` loop against a scripted walk job in a fake main: what the loop applies
 * and what the transcript says when it is paused or cancelled while a batch is being applied,
 * and how it counts the triples it was given.
 */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { nextTick, watchEffect } from 'vue'
import type { JobBatch, LabApi } from '@shared/contract'
import type { LabErrorInfo } from '@shared/errors'
import { emptyWalkSummary, type WalkItem } from '@shared/walkJob'
import { useJobsStore } from '@renderer/stores/jobs'
import { SEARCH_MATCHES_KEPT, SEARCH_REFRESH_MS, useWalkStore } from '@renderer/stores/walk'
import { SORT_IN_STEPS_FROM, WalkTree } from '@renderer/walk/walkTree'
import { until } from '../../../support/until'
import { dir, error } from '../../../support/walkItems'

/** What each pull answers at most, as the worker's time budget bounds a real one. */
const PULL_ITEMS = 300
/** Each item takes this long to apply, on the faked clock: a slice (8 ms) applies three. */
const APPLY_MS = 3

/** top '/t' and its subdirectories d0 … d(count-1), each yielded as a triple of its own. */
function walkOfSubdirs(count: number): WalkItem[] {
  const names = Array.from({ length: count }, (_, i) => `d${i}`)
  return [dir('/t', null, 't', names, {}), ...names.map((name) => dir(`/t/${name}`, '/t', name, [], { 'f.txt': 1 }))]
}

/** The saved scan the fake file dialog chooses (Open ncdu file…). */
const SAVED_SCAN = '/scans/t.ncdu.json'

/**
 * `window.lab` answering each walk job (or ncduImport: the same items) from `items`: each job.next
 * takes up to maxItems (at most PULL_ITEMS) of them, the last one ends the generator, or, given
 * `raises`, the pull after the last one raises it; job.return closes it. The file dialog chooses
 * SAVED_SCAN. Returns the kinds of the jobs opened, in order.
 */
function fakeWalkJob(items: WalkItem[], raises?: LabErrorInfo): string[] {
  let left: WalkItem[] = []
  const opened: string[] = []
  const answer = (value: unknown) => Promise.resolve({ ok: true, value }) as never
  const lab: LabApi = {
    invoke: (channel, input) => {
      switch (channel) {
        case 'job.open': {
          const { kind } = input as { kind: string }
          opened.push(kind)
          left = [...items]
          return answer({ id: `job-${opened.length}`, kind, state: 'created' })
        }
        case 'dialog.choosePath':
          return answer({ path: SAVED_SCAN })
        case 'job.next': {
          const { maxItems } = input as { maxItems: number }
          if (left.length === 0 && raises !== undefined) return Promise.resolve({ ok: false, error: raises }) as never
          const taken = left.splice(0, Math.min(maxItems, PULL_ITEMS))
          const done = left.length === 0 && raises === undefined
          const batch: JobBatch = done
            ? { items: taken, done, value: emptyWalkSummary(), state: 'closed' }
            : { items: taken, done, state: 'suspended' }
          return answer(batch)
        }
        case 'job.return':
          left.length = 0
          return answer({ items: [], done: true, state: 'closed' } satisfies JobBatch)
        default:
          throw new Error(`unexpected ${channel}`)
      }
    },
    on: () => () => undefined
  }
  Object.assign(globalThis, { lab })
  return opened
}

/**
 * Makes applying each item take APPLY_MS, so a batch is applied in many slices, and calls
 * `interrupt` once `dirs` triples are applied: between two slices, as a click or a key press comes.
 */
function applySlowly(dirs: number, interrupt: () => void): void {
  const apply = WalkTree.prototype.apply
  vi.spyOn(WalkTree.prototype, 'apply').mockImplementation(function (this: WalkTree, item) {
    const node = apply.call(this, item)
    vi.advanceTimersByTime(APPLY_MS)
    if (this.counters.dirs === dirs) queueMicrotask(interrupt)
    return node
  })
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] })
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

const outputs = (): string[] => useWalkStore().transcript.map((line) => line.output)

test.each([
  { where: 'in the tab', cancel: () => useWalkStore().cancel() },
  { where: 'in the status bar', cancel: () => useJobsStore().cancel(useWalkStore().session!.generator.id) }
])(
  'Cancel $where while a batch is applied ends the loop at the next slice: nothing after it is applied, nothing said paused',
  async ({ cancel }) => {
    fakeWalkJob(walkOfSubdirs(3 * PULL_ITEMS))
    const store = useWalkStore()
    store.form.top = '/t'
    let appliedAtCancel: number | undefined
    let cancelled: Promise<void> | undefined
    applySlowly(100, () => {
      appliedAtCancel = store.session!.tree.counters.dirs
      cancelled = cancel()
    })
    await store.openAndRun()
    await until(() => cancelled !== undefined, 'cancel pressed')
    await cancelled
    // Cancelled inside the second batch (triples 2 to 301), after the third was pulled.
    expect(appliedAtCancel).toBeLessThan(1 + PULL_ITEMS)
    expect(store.session!.tree.counters.dirs).toBe(appliedAtCancel)
    expect(store.counters.dirs).toBe(appliedAtCancel)
    expect(store.phase).toBe('cancelled')
    expect(outputs().filter((output) => output.includes('paused'))).toEqual([])
    expect(store.transcript.at(-1)!.input).toBe('w.close()')
    expect(outputs()).toContain(
      `# ${appliedAtCancel} triples before w.close(), the last for '/t/d${appliedAtCancel! - 2}'`
    )
  }
)

test('a loop that a raised error ends counts the triples it saw before the error, not "in all"', async () => {
  fakeWalkJob(walkOfSubdirs(2), { code: 'PERMISSION_DENIED', message: '/t/d1: permission denied', path: '/t/d1' })
  const store = useWalkStore()
  store.form.top = '/t'
  await store.openAndRun()
  expect(store.phase).toBe('failed')
  expect(outputs().slice(-2)).toEqual([
    "# 3 triples before the error, the last for '/t/d1'",
    expect.stringContaining('/t/d1: permission denied')
  ])
})

test('Pause while a batch is applied lets the loop apply what it holds and the batch in flight, then says paused', async () => {
  fakeWalkJob(walkOfSubdirs(3 * PULL_ITEMS))
  const store = useWalkStore()
  store.form.top = '/t'
  applySlowly(100, () => store.pause())
  await store.openAndRun()
  expect(store.phase).toBe('suspended')
  expect(store.counters.dirs).toBe(1 + 2 * PULL_ITEMS)
  expect(outputs().at(-1)).toBe('# paused: the generator is suspended at its yield; Resume goes on from there')
})

test.each([
  {
    walk: 'a top that cannot be listed (onerror once, nothing yielded)',
    top: '/proc/1/map_files',
    items: [error('/proc/1/map_files', null, 'map_files', 'PERMISSION_DENIED')],
    said: '# 0 triples in all'
  },
  {
    walk: 'a triple, then a subdirectory that cannot be listed',
    top: '/t',
    items: [dir('/t', null, 't', ['locked'], {}), error('/t/locked', '/t', 'locked', 'PERMISSION_DENIED')],
    said: "# 1 triple in all, the last for '/t'"
  }
])(
  'the loop names the last triple it was given, never an onerror path, after its onerror lines: $walk',
  async ({ top, items, said }) => {
    fakeWalkJob(items)
    const store = useWalkStore()
    store.form.top = top
    await store.openAndRun()
    expect(store.phase).toBe('done')
    // As python3 prints it: os.walk calls onerror inside the loop, so its line comes before the loop's end.
    const onerror = items.at(-1)!
    expect(store.transcript.slice(1).map(({ input, output }) => [input, output])).toEqual([
      ['for dirpath, dirnames, filenames in w: ...', ''],
      [undefined, `onerror(PERMISSION_DENIED): ${onerror.kind === 'error' ? onerror.error.message : ''}`],
      [undefined, said],
      [undefined, expect.stringMatching(/^StopIteration {2}# .*, 1 error$/)]
    ])
  }
)

test('a file listed but not sized is the loop body’s error (file_size), not onerror’s: os.walk stats no file', async () => {
  const unsized: WalkItem = { ...error('/t/d/f.txt', '/t/d', 'f.txt', 'PERMISSION_DENIED'), file: true }
  fakeWalkJob([dir('/t', null, 't', ['d'], {}), unsized, dir('/t/d', '/t', 'd', [], { 'f.txt': 0 })])
  const store = useWalkStore()
  store.form.top = '/t'
  await store.openAndRun()
  expect(store.phase).toBe('done')
  const outputs = store.transcript.map(({ output }) => output)
  expect(outputs).toContain(
    'file_size(): PERMISSION_DENIED: /t/d/f.txt: does not exist  # os.walk listed it; its lstat failed'
  )
  expect(outputs.some((output) => output.startsWith('onerror('))).toBe(false)
  expect(outputs.at(-1)).toMatch(/^StopIteration {2}# .*, 1 error$/)
})

test('paused, the loop says how far it got after its onerror lines; a loop that said nothing ends on its own line', async () => {
  const [top, ...subdirs] = walkOfSubdirs(3 * PULL_ITEMS)
  fakeWalkJob([top!, error('/t/locked', '/t', 'locked', 'PERMISSION_DENIED'), ...subdirs])
  const store = useWalkStore()
  store.form.top = '/t'
  applySlowly(100, () => store.pause())
  await store.openAndRun()
  expect(store.phase).toBe('suspended')
  const paused = 2 * PULL_ITEMS - 1 // the top, then two pulls that held the error too
  expect(store.transcript.slice(1).map(({ input, output }) => [input, output])).toEqual([
    ['for dirpath, dirnames, filenames in w: ...', ''],
    [undefined, 'onerror(PERMISSION_DENIED): /t/locked: does not exist'],
    [undefined, `# ${paused + 1} triples so far, the last for '/t/d${paused - 1}'`],
    [undefined, '# paused: the generator is suspended at its yield; Resume goes on from there']
  ])

  vi.restoreAllMocks()
  await store.run()
  expect(store.transcript.slice(5).map(({ input, output }) => [input, output])).toEqual([
    ['for dirpath, dirnames, filenames in w: ...', `# ${1 + 3 * PULL_ITEMS} triples in all, the last for '/t/d899'`],
    [undefined, `StopIteration  # ${1 + 3 * PULL_ITEMS} dirs, ${3 * PULL_ITEMS} files, 900 B, 1 error`]
  ])
})

test('while a walk streams, the search runs again at most once a second, and on the whole tree at the end', async () => {
  fakeWalkJob(walkOfSubdirs(3 * PULL_ITEMS))
  const store = useWalkStore()
  store.form.top = '/t'
  store.searchQuery = 'd2'
  const search = vi.spyOn(WalkTree.prototype, 'search')
  // As the tab shows the match count: read at every change.
  const shown: number[] = []
  const stop = watchEffect(() => shown.push(store.searchMatches.length))
  applySlowly(-1, () => undefined)
  const started = performance.now()
  await store.openAndRun()
  const streamedMs = performance.now() - started
  stop()
  expect(store.phase).toBe('done')
  // About 2.7 s of applying, refreshed every 250 ms (eleven times): a search at most once a second,
  // besides those of the new (empty) tree, of the first triple's refresh and of the end.
  expect(streamedMs).toBeGreaterThan(2000)
  expect(search.mock.calls.length).toBeLessThanOrEqual(Math.floor(streamedMs / SEARCH_REFRESH_MS) + 3)
  // d2, d20…d29, d200…d299: every match of the finished tree, found once the walk ended.
  expect(shown.at(-1)).toBe(1 + 10 + 100)
})

/** A walk of /t holding one folder's worth of files f0 … f(count-1), listed shuffled, of n % 3 bytes. */
function walkOfOneWideFolder(count: number): number[] {
  const numbers = Array.from({ length: count }, (_, i) => (i * 7919) % count)
  fakeWalkJob([dir('/t', null, 't', [], Object.fromEntries(numbers.map((n) => [`f${n}`, n % 3])))])
  return numbers
}

/** The faked clock moves a millisecond at each reading: a slice (8 ms) ends after a few steps. */
function tickPerReading(): void {
  let clock = 0
  vi.spyOn(performance, 'now').mockImplementation(() => ++clock)
}

test('a folder too large to sort at once shows os.walk order after the walk, then its size order once sorted in slices', async () => {
  const count = SORT_IN_STEPS_FROM
  const numbers = walkOfOneWideFolder(count)
  const store = useWalkStore()
  store.form.top = '/t'
  tickPerReading()
  const seen: { sorting: number; first: string | undefined }[] = []
  const stop = watchEffect(() => {
    const rows = store.rows
    seen.push({ sorting: store.sortingEntries, first: rows && store.session!.tree.view(rows, 1)?.name })
  })
  await store.openAndRun()
  expect(store.phase).toBe('done')
  const scrollsBefore = store.scrollRequest
  // Other tasks run while the sort is under way: it gives the event loop back between slices.
  const sortingSeenByTimers: number[] = []
  const timer = setInterval(() => sortingSeenByTimers.push(store.sortingEntries), 0)
  await until(() => store.sortingEntries === 0, 'the sort to end')
  clearInterval(timer)
  stop()
  expect(sortingSeenByTimers).toContain(count)
  // Sorting, the rows stayed in os.walk order; then by size, largest first, ties A to Z (f2, f5, …).
  expect(seen).toContainEqual({ sorting: count, first: `f${numbers[0]}` })
  expect(seen.at(-1)).toEqual({ sorting: 0, first: 'f2' })
  expect(store.session!.tree.view(store.rows!, 2)!.name).toBe('f5')
  // The new order moved the selection's row: the tree is asked to bring it into view.
  expect(store.scrollRequest).toBeGreaterThan(scrollsBefore)
})

/**
 * The store after a walk of /t holding `folders`, each of SORT_IN_STEPS_FROM files (too many to
 * sort at once) f0 … listed shuffled as `numbers`, of n % 3 bytes; the clock ticks per reading.
 */
async function walkWideFolders(
  folders: string[]
): Promise<{ store: ReturnType<typeof useWalkStore>; numbers: number[] }> {
  const numbers = Array.from({ length: SORT_IN_STEPS_FROM }, (_, i) => (i * 7919) % SORT_IN_STEPS_FROM)
  const files = Object.fromEntries(numbers.map((n) => [`f${n}`, n % 3]))
  fakeWalkJob([dir('/t', null, 't', folders, {}), ...folders.map((name) => dir(`/t/${name}`, '/t', name, [], files))])
  const store = useWalkStore()
  store.form.top = '/t'
  tickPerReading()
  await store.openAndRun()
  return { store, numbers }
}

test('os.walk order chosen while large folders are being sorted by size: the sort stops, the folders show os.walk order', async () => {
  // Three folders of SORT_IN_STEPS_FROM files; a search that finds files in each puts them in display order, so all wait to be sorted.
  const folders = ['a', 'b', 'c']
  const { store, numbers } = await walkWideFolders(folders)
  store.searchQuery = 'f1999' // f1999 and f19990 … f19999 in each folder
  await until(() => store.sortingEntries === 3 * SORT_IN_STEPS_FROM, 'the sort of the three folders to start')
  store.searchQuery = ''
  // os.walk order, then reversed (a second press), while the sort by size runs: each stops the sort under way.
  store.setSort('walk')
  await nextTick()
  store.setSort('walk')
  await nextTick()
  expect(store.order).toEqual({ key: 'walk', descending: true })
  await until(() => store.sortingEntries === 0, 'the sort to stop')
  const tree = store.session!.tree
  for (const name of folders) store.toggle(tree.root.childNamed(name)!, true)
  await nextTick()
  const shown = (): string[] => Array.from({ length: store.rows!.length }, (_, i) => tree.view(store.rows!, i)!.name)
  // /t, then c, b and a (reversed), each with its files from the last listed.
  const reversed = numbers
    .slice()
    .reverse()
    .map((n) => `f${n}`)
  expect(shown()).toEqual(['/t', 'c', ...reversed, 'b', ...reversed, 'a', ...reversed])
  expect(store.sortingEntries).toBe(0)
})

test('a sort in slices brings the selection into view when the order chosen asked for it, not when a search did', async () => {
  const { store } = await walkWideFolders(['a', 'b'])
  await until(() => store.sortingEntries === 0, 'the end of any sort the walk started')
  // A search puts the two folders' files in display order: a sort in slices the user did not ask for.
  const scrollsBefore = store.scrollRequest
  store.searchQuery = 'f1999'
  await until(() => store.sortingEntries === 2 * SORT_IN_STEPS_FROM, 'the sort for the search to start')
  await until(() => store.sortingEntries === 0, 'the sort for the search to end')
  expect(store.scrollRequest).toBe(scrollsBefore)
  // Disk usage chosen: the folders are sorted for it in slices, and their end brings the selection into view.
  store.measure = 'disk'
  await until(() => store.sortingEntries === 2 * SORT_IN_STEPS_FROM, 'the sort for the measure to start')
  const scrollsWhenChosen = store.scrollRequest
  await until(() => store.sortingEntries === 0, 'the sort for the measure to end')
  expect(store.scrollRequest).toBe(scrollsWhenChosen + 1)
})

test('the measure changed under name order while a search sorts in slices: names keep their order, so its end does not scroll', async () => {
  const { store } = await walkWideFolders(['a', 'b'])
  store.setSort('name')
  await until(() => store.sortingEntries === 0, 'the end of any sort so far')
  store.searchQuery = 'f1999'
  await until(() => store.sortingEntries === 2 * SORT_IN_STEPS_FROM, 'the sort for the search to start')
  const scrollsBefore = store.scrollRequest
  store.measure = 'disk'
  await until(() => store.sortingEntries === 0, 'the sort for the search to end')
  // One request, at the change itself (rows in view follow a new measure); none when the search's sort ends.
  expect(store.scrollRequest).toBe(scrollsBefore + 1)
})

test('re-rooted, the search covers the folder in view and below; going back up searches there again, keeping the query', async () => {
  fakeWalkJob([
    dir('/t', null, 't', ['a', 'b'], { 'top.py': 1 }),
    dir('/t/a', '/t', 'a', ['lib'], { 'a.py': 2 }),
    dir('/t/a/lib', '/t/a', 'lib', [], { 'lib.py': 3, python3: 4 }),
    dir('/t/b', '/t', 'b', [], { 'b.py': 5 })
  ])
  const store = useWalkStore()
  store.form.top = '/t'
  await store.openAndRun()
  const tree = store.session!.tree
  const a = tree.root.childNamed('a')!
  const lib = a.childNamed('lib')!
  // Largest first, as the tree shows them: a (9 bytes) before b (5), subfolders before files.
  const found = (): string[] => store.searchMatches.map((match) => tree.pathOfKey(match))
  const current = (): string | undefined => {
    const match = store.searchMatches[store.searchAt]
    return match === undefined ? undefined : tree.pathOfKey(match)
  }
  store.searchQuery = 'py'
  const everywhere = ['/t/a/lib/python3', '/t/a/lib/lib.py', '/t/a/a.py', '/t/b/b.py', '/t/top.py']
  expect(found()).toEqual(everywhere)

  store.reroot(a)
  expect(found()).toEqual(everywhere.slice(0, 3))
  // Each jump, round to the first match again and back, stays in the folder in view.
  const jumpedTo: string[] = []
  for (const step of [1, 1, 1, 1, -1] as const) {
    store.jumpToMatch(step)
    expect(store.viewRoot).toBe(a)
    expect(current()).toBe(tree.pathOfKey(store.selection!))
    jumpedTo.push(current()!)
  }
  expect(jumpedTo).toEqual([...everywhere.slice(0, 3), everywhere[0], everywhere[2]])
  expect(store.searchAt).toBe(2)

  // Into lib, which does not hold the match jumped to: no current match, and Next starts at lib's first.
  store.reroot(lib)
  expect(found()).toEqual(everywhere.slice(0, 2))
  expect(store.searchAt).toBe(-1)
  // Back up: the query stays, the search runs there, and the match jumped to is found again.
  store.rerootUp()
  expect(store.viewRoot).toBe(a)
  expect(store.searchQuery).toBe('py')
  expect(found()).toEqual(everywhere.slice(0, 3))
  expect(current()).toBe('/t/a/a.py')
  store.rerootUp()
  expect(store.viewRoot).toBeUndefined()
  expect(found()).toEqual(everywhere)
  expect(current()).toBe('/t/a/a.py')
  expect(store.searchAt).toBe(2)
  store.reroot(lib)
  store.jumpToMatch(1)
  expect(current()).toBe('/t/a/lib/python3')
  expect(store.viewRoot).toBe(lib)
  // Previous before any jump goes to the last match, as a find in a page does.
  store.rerootUp()
  store.searchQuery = '.py'
  expect(found()).toEqual(['/t/a/lib/lib.py', '/t/a/a.py'])
  expect(store.searchAt).toBe(-1)
  store.jumpToMatch(-1)
  expect(current()).toBe('/t/a/a.py')
})

test('with more matches than are kept, a jump past either end of them stays and says why, rather than wrapping round', async () => {
  fakeWalkJob(walkOfSubdirs(SEARCH_MATCHES_KEPT + 200))
  const store = useWalkStore()
  store.form.top = '/t'
  await store.openAndRun()
  store.searchQuery = 'd'
  expect(store.searchMatches).toHaveLength(SEARCH_MATCHES_KEPT)
  // Previous before any jump: the last match kept is not the last match, so nothing is selected.
  store.jumpToMatch(-1)
  expect([store.searchAt, store.searchPastKept]).toEqual([-1, true])
  store.jumpToMatch(1)
  expect([store.searchAt, store.searchPastKept]).toEqual([0, false])
  store.jumpToMatch(-1)
  expect([store.searchAt, store.searchPastKept]).toEqual([0, true])
  for (let i = 1; i < SEARCH_MATCHES_KEPT; i++) store.jumpToMatch(1)
  expect([store.searchAt, store.searchPastKept]).toEqual([SEARCH_MATCHES_KEPT - 1, false])
  store.jumpToMatch(1)
  expect([store.searchAt, store.searchPastKept]).toEqual([SEARCH_MATCHES_KEPT - 1, true])
  // Typing more of the name clears it; with fewer matches than kept, jumps wrap round again.
  store.searchQuery = 'd11'
  await nextTick()
  expect(store.searchPastKept).toBe(false)
  expect(store.searchMatches.length).toBeLessThan(SEARCH_MATCHES_KEPT)
  store.jumpToMatch(-1)
  expect(store.searchAt).toBe(store.searchMatches.length - 1)
  expect(store.searchPastKept).toBe(false)
})

test('a new order that moves the match jumped to past the kept ones: a jump from it stays and says why, not back to the first', async () => {
  fakeWalkJob(walkOfSubdirs(SEARCH_MATCHES_KEPT + 200))
  const store = useWalkStore()
  store.form.top = '/t'
  await store.openAndRun()
  store.setSort('name')
  store.searchQuery = 'd'
  await nextTick()
  store.jumpToMatch(1)
  const current = (): string => store.session!.tree.pathOfKey(store.selection!)
  expect(current()).toBe('/t/d0')
  // Z to A: d0 is the last of 1,200 matches, past the 1,000 kept.
  store.setSort('name')
  await nextTick()
  expect(store.searchAt).toBe(-1)
  store.jumpToMatch(1)
  expect([current(), store.searchPastKept]).toEqual(['/t/d0', true])
  store.jumpToMatch(-1)
  expect([current(), store.searchPastKept]).toEqual(['/t/d0', true])
})

test.each([
  { matching: SEARCH_MATCHES_KEPT, more: false, previousGoesTo: SEARCH_MATCHES_KEPT - 1 },
  { matching: SEARCH_MATCHES_KEPT + 1, more: true, previousGoesTo: -1 }
])(
  '$matching matching names: more than kept is $more, Previous before any jump goes to $previousGoesTo',
  async ({ matching, more, previousGoesTo }) => {
    fakeWalkJob(walkOfSubdirs(matching))
    const store = useWalkStore()
    store.form.top = '/t'
    await store.openAndRun()
    store.searchQuery = 'd'
    expect([store.searchMatches.length, store.searchMoreMatches]).toEqual([SEARCH_MATCHES_KEPT, more])
    store.jumpToMatch(-1)
    expect([store.searchAt, store.searchPastKept]).toEqual([previousGoesTo, more])
  }
)

test('next(w) shows the onerror lines of its call before what it returns, as Python calls onerror first', async () => {
  // Bottom-up: os.walk calls onerror for locked, then yields mnt, then top.
  fakeWalkJob([
    error('/t/locked', '/t', 'locked', 'PERMISSION_DENIED'),
    dir('/t/mnt', '/t', 'mnt', [], { 'onmount.bin': 1 }),
    dir('/t', null, 't', ['locked', 'mnt'], {})
  ])
  const store = useWalkStore()
  store.form.top = '/t'
  store.form.topdown = false
  await store.step()
  await store.step()
  expect(store.transcript.slice(1).map(({ input, output }) => [input, output])).toEqual([
    ['next(w)', ''],
    [undefined, 'onerror(PERMISSION_DENIED): /t/locked: does not exist'],
    [undefined, "('/t/mnt', [], ['onmount.bin'])"],
    ['next(w)', "('/t', ['locked', 'mnt'], [])"]
  ])
})

test.each([
  { ended: 'exhausted', phase: 'done', said: 'w is exhausted', end: () => useWalkStore().openAndRun() },
  {
    ended: 'closed',
    phase: 'cancelled',
    said: 'w was closed',
    end: async () => {
      await useWalkStore().step()
      await useWalkStore().cancel()
    }
  },
  {
    ended: 'raised',
    phase: 'failed',
    said: 'w raised an error',
    raises: { code: 'PERMISSION_DENIED', message: '/t/d1: permission denied', path: '/t/d1' } as const,
    end: () => useWalkStore().run()
  },
  {
    ended: 'exhausted, a saved ncdu scan',
    phase: 'done',
    said: 'w is exhausted',
    end: () => useWalkStore().openNcdu()
  }
])(
  'next(w) and the for loop on a generator that $ended say what Python says and keep the scan; no new walk starts',
  async ({ phase, said, raises, end }) => {
    const opened = fakeWalkJob(walkOfSubdirs(3), raises)
    const store = useWalkStore()
    store.form.top = '/t'
    await end()
    expect(store.phase).toBe(phase)
    const { session } = store
    const dirs = store.counters.dirs
    const lines = store.transcript.length
    expect(dirs).toBeGreaterThan(0)

    await store.step()
    await store.run()

    expect(store.transcript.slice(lines).map(({ input, output }) => ({ input, output }))).toEqual([
      { input: 'next(w)', output: `StopIteration  # ${said}; Walk (Enter) starts a new walk` },
      {
        input: 'for dirpath, dirnames, filenames in w: ...',
        output: `# the loop body never ran: ${said}; Walk (Enter) starts a new walk`
      }
    ])
    expect(opened).toHaveLength(1)
    expect(store.session).toBe(session)
    expect(store.phase).toBe(phase)
    expect(store.counters.dirs).toBe(dirs)
    expect(store.session!.tree.counters.dirs).toBe(dirs)
  }
)

test('on an exhausted generator, the for loop shows its prune lines as the loop that did not run', async () => {
  fakeWalkJob(walkOfSubdirs(3))
  const store = useWalkStore()
  store.form.top = '/t'
  store.form.exclude = '.git'
  await store.openAndRun()
  await store.run()
  expect(store.transcript.at(-1)!.input).toBe(
    "for dirpath, dirnames, filenames in w:\n    dirnames[:] = [d for d in dirnames if not fnmatch(d, '.git')]\n    ..."
  )
})

test('staying on one file system: the transcript says os.walk has no such option and shows the prune that does it', async () => {
  fakeWalkJob(walkOfSubdirs(3))
  const store = useWalkStore()
  Object.assign(store.form, { top: '/t', exclude: '.git', oneFileSystem: true })
  await store.openAndRun()
  const byDevice =
    "dirnames[:] = [d for d in dirnames if os.lstat(os.path.join(dirpath, d)).st_dev == os.stat('/t').st_dev]"
  expect(store.transcript.map((line) => line.output)).toContain(
    `# stay on this file system (du -x): os.walk has no such option; the loop body prunes by device: ${byDevice}`
  )
  expect(store.transcript.find((line) => line.input?.startsWith('for ') === true)!.input).toBe(
    `for dirpath, dirnames, filenames in w:\n    dirnames[:] = [d for d in dirnames if not fnmatch(d, '.git')]\n    ...\n    ${byDevice}`
  )
  // Bottom-up, pruning cannot keep os.walk out: said, and no prune line claims to.
  Object.assign(store.form, { topdown: false, exclude: '' })
  await store.openAndRun()
  expect(store.transcript.map((line) => line.output)).toContain(
    '# stay on this file system (du -x): Browse does not enter a folder on another device; os.walk(topdown=False) cannot be kept out of one'
  )
  expect(store.transcript.findLast((line) => line.input?.startsWith('for ') === true)!.input).toBe(
    'for dirpath, dirnames, filenames in w: ...'
  )
})

test('a saved ncdu scan is read from its file whatever walk options the form holds; another folder walks', async () => {
  const opened = fakeWalkJob(walkOfSubdirs(3))
  const store = useWalkStore()
  Object.assign(store.form, {
    top: '/elsewhere',
    exclude: '*.d',
    followlinks: true,
    glob: '*.txt',
    oneFileSystem: true
  })
  await store.openNcdu()
  expect(opened).toEqual(['ncduImport']) // read, not walked
  expect(store.phase).toBe('done')
  expect(store.counters.dirs).toBe(4)
  expect(store.formChanged).toBe(false)
  expect(store.form.top).toBe('/t') // the scanned folder, so Enter walks it afresh

  store.form.top = '/u'
  expect(store.formChanged).toBe(true)
  await store.step()
  expect(opened).toEqual(['ncduImport', 'walk'])
})

test('the elapsed time ticks while the first batch is awaited, as a folder of 300,000 files is listed, and stops with the walk', async () => {
  vi.useFakeTimers({ toFake: ['performance', 'setInterval', 'clearInterval'] })
  let answer: ((batch: JobBatch) => void) | undefined
  const reply = (value: unknown) => Promise.resolve({ ok: true, value }) as never
  const lab: LabApi = {
    invoke: (channel) => {
      if (channel === 'job.open') return reply({ id: 'job-1', kind: 'walk', state: 'created' })
      if (channel === 'job.next')
        return new Promise((resolve) => (answer = (batch) => resolve({ ok: true, value: batch } as never)))
      if (channel === 'job.return') return reply({ items: [], done: true, state: 'closed' })
      throw new Error(`unexpected ${channel}`)
    },
    on: () => () => undefined
  }
  Object.assign(globalThis, { lab })
  const store = useWalkStore()
  store.form.top = '/t'
  const running = store.openAndRun()
  await until(() => answer !== undefined, 'the first pull')
  expect(store.elapsedMs).toBe(0)
  vi.advanceTimersByTime(1_000)
  expect(store.elapsedMs).toBeGreaterThanOrEqual(750) // ticked, though no batch came
  answer!({ items: walkOfSubdirs(0), done: true, value: emptyWalkSummary(), state: 'closed' })
  await running
  expect(store.phase).toBe('done')
  const ended = store.elapsedMs
  vi.advanceTimersByTime(1_000)
  expect(store.elapsedMs).toBe(ended)
})

test('a file that is no saved scan leaves the scan on screen as it was; with none on screen, its card shows', async () => {
  fakeWalkJob(walkOfSubdirs(3))
  const store = useWalkStore()
  store.form.top = '/t'
  await store.openAndRun()
  const { session } = store
  const notAScan: LabErrorInfo = { code: 'MALFORMED_DATA', message: `${SAVED_SCAN}: not JSON`, path: SAVED_SCAN }
  fakeWalkJob([], notAScan)

  await store.openNcdu()
  expect(store.session).toBe(session)
  expect(store.phase).toBe('done')
  expect(store.counters.dirs).toBe(4)
  expect(store.form.top).toBe('/t')
  expect(store.failure).toBeUndefined()
  expect(store.busy).toBe(false)
  expect(store.openFailure).toEqual({ file: SAVED_SCAN, error: notAScan })
  expect(store.transcript.slice(-2).map(({ input, output }) => ({ input, output }))).toEqual([
    { input: `w = ncdu_export('${SAVED_SCAN}')`, output: `LabError MALFORMED_DATA: ${SAVED_SCAN}: not JSON` },
    { input: undefined, output: '# w is still the scan on screen: an assignment that raises binds nothing' }
  ])
  // The next walk puts the notice away with the scan it spoke of.
  fakeWalkJob(walkOfSubdirs(2))
  await store.openAndRun()
  expect(store.openFailure).toBeUndefined()
  expect(store.counters.dirs).toBe(3)

  // Nothing on screen: the card says the file could not be opened, as before.
  setActivePinia(createPinia())
  fakeWalkJob([], notAScan)
  const fresh = useWalkStore()
  await fresh.openNcdu()
  expect(fresh.phase).toBe('failed')
  expect(fresh.failure).toEqual(notAScan)
  expect(fresh.failedAt).toBe('open')
  expect(fresh.openFailure).toBeUndefined()
})

test('with the options changed since the walk started, next(w) on the exhausted generator starts a new walk with them', async () => {
  const opened = fakeWalkJob(walkOfSubdirs(3))
  const store = useWalkStore()
  store.form.top = '/t'
  await store.openAndRun()
  const first = store.session
  store.form.followlinks = true
  await store.step()
  expect(opened).toEqual(['walk', 'walk'])
  expect(store.session).not.toBe(first)
  expect(store.session!.args.followlinks).toBe(true)
  expect(store.phase).toBe('suspended')
  expect(store.counters.dirs).toBe(1)
})

test('a symlink loop met with followlinks is said once in the transcript, where os.walk would go round it', async () => {
  fakeWalkJob([
    dir('/t', null, 't', ['loop', 'sub'], {}),
    { kind: 'skip', reason: 'cycle', parent: '/t', name: 'loop' },
    dir('/t/sub', '/t', 'sub', ['back'], {}),
    { kind: 'skip', reason: 'cycle', parent: '/t/sub', name: 'back' }
  ])
  const store = useWalkStore()
  store.form.top = '/t'
  store.form.followlinks = true
  await store.openAndRun()
  expect(store.phase).toBe('done')
  const said = store.transcript.filter(({ output }) => output?.includes('links to a folder above it'))
  expect(said.map(({ output }) => output)).toEqual([
    "# os.path.join('/t', 'loop') links to a folder above it: not entered (nor any other loop; the tree marks each). " +
      'os.walk(followlinks=True) would go round it until the path is too long.'
  ])
})
