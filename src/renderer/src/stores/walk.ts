/**
 * The Browse tab: one os.walk generator living in main (the `walk` job), driven from here one
 * triple at a time (step) or streamed (run, pause, resume, cancel), and the tree built from it.
 *
 * Streaming stays smooth on huge trees: the next batch is requested while the previous one is
 * applied, items are applied in slices of a few milliseconds with the event loop given back in
 * between, and the view (rows, counters) is refreshed at most every REFRESH_MS, never per item.
 */
import { defineStore } from 'pinia'
import { computed, markRaw, nextTick, reactive, ref, shallowRef, watch } from 'vue'
import type { GeneratorState } from '@shared/contract'
import type { LabErrorInfo } from '@shared/errors'
import { BOTTOM_UP_PRUNING, emptyWalkSummary, type WalkArgs, type WalkItem, type WalkSummary } from '@shared/walkJob'
import { call, errorInfo } from '@renderer/ipc/client'
import { applyInSlices } from '@renderer/walk/frameBudget'
import { formatBytes, plural } from '@shared/format'
import { devicePruneLine, pruneLine, pyNames, pyStr, tripleRepr, walkCall } from '@renderer/walk/pythonEquivalent'
import type { RemoteBatch, RemoteGenerator } from '@renderer/ipc/remoteGenerator'
import { defaultWalkForm, RUN_BATCH_ITEMS, sameWalk, walkArgsFromForm, type WalkForm } from '@renderer/walk/walkOptions'
import {
  ROW_DIR,
  sameRow,
  sortCacheKey,
  WalkTree,
  type DirNode,
  type RowKey,
  type Rows,
  type SearchMatch,
  type SizeMeasure,
  type SortOrder
} from '@renderer/walk/walkTree'
import { useJobsStore } from './jobs'
import { baseName } from '@shared/paths'
import { hasEscapedBytes, hasUnprintable, shellBytesQuoted, shownName } from '@shared/fsNames'
import { ncduExportBytes } from '@renderer/walk/ncduExport'

const SLICE_BUDGET_MS = 8
/**
 * Each refresh re-renders rows and counters and costs a frame (style, layout, paint, compositing):
 * four a second keep a scan lively without taking the CPU the walk itself needs.
 */
const REFRESH_MS = 250
/**
 * A search at the top scans the whole tree (about 20 ms for /usr in os.walk order, 100 ms and more
 * sorted), so while a walk streams it runs again at most this often, or five times its own last
 * duration if that is longer, rather than at every refresh; any other change (a re-root too) runs
 * it at once.
 */
export const SEARCH_REFRESH_MS = 1000
const TRANSCRIPT_LINES_KEPT = 300
/** onerror lines one run writes to the transcript; a tree full of unreadable directories would flood it. */
const LOOP_ERRORS_SHOWN = 50
/** Search stops after this many matches (a search for "e" in /usr would list most of it). */
export const SEARCH_MATCHES_KEPT = 1000
/**
 * How a `for` loop over the walk stopped, as its count line says it: still running (then paused),
 * or how the walk ended. Only an exhausted walk gave the loop "all" its triples.
 */
type LoopEnd = 'running' | 'done' | 'cancelled' | 'failed'
const loopEndWords: Record<LoopEnd, string> = {
  running: 'so far',
  done: 'in all',
  cancelled: 'before w.close()',
  failed: 'before the error'
}

/** os.walk's own order, shown while a walk is live unless a sort is chosen then. */
const WALK_ORDER: SortOrder = { key: 'walk', descending: false }

export type WalkPhase =
  'idle' | 'opening' | 'created' | 'stepping' | 'running' | 'pausing' | 'suspended' | 'done' | 'cancelled' | 'failed'

export interface TranscriptLine {
  id: number
  /** What was typed at the Python prompt, if this line stands for a call. */
  input?: string
  output: string
  tone: 'value' | 'error' | 'note'
}

/** A walk, or a saved scan read back (the same items). */
type WalkGenerator = RemoteGenerator<'walk'> | RemoteGenerator<'ncduImport'>

interface WalkSession {
  id: number
  args: WalkArgs
  generator: WalkGenerator
  tree: WalkTree
  /** performance.now() when the user asked for this walk. */
  askedAt: number
  /** Transcript line of the running `for` loop, updated as triples arrive. */
  loopLine?: TranscriptLine
  /** dirpath of the last triple yielded (errors and skips are not triples). */
  lastDirpath?: string
  /** onerror lines written by the running loop, and those left out (the tree shows them all). */
  loopErrorsSaid: number
  loopErrorsHidden: number
  /** A symlink loop was met and said so (once a walk: the tree marks each). */
  loopSaid?: boolean
}

export const useWalkStore = defineStore('walk', () => {
  const jobs = useJobsStore()

  const form = reactive<WalkForm>(defaultWalkForm())
  const formResult = computed(() => walkArgsFromForm(form))

  const session = shallowRef<WalkSession>()
  const phase = ref<WalkPhase>('idle')
  /** Why the generator failed (a bad root, most often); errors during the walk are items instead. */
  const failure = ref<LabErrorInfo>()
  /** What failed: walking a folder, or opening a saved ncdu scan (the error box's title says which). */
  const failedAt = ref<'walk' | 'open'>('walk')
  const counters = ref<WalkSummary>(emptyWalkSummary())
  const summary = ref<WalkSummary>()
  const firstTripleMs = ref<number>()
  const elapsedMs = ref(0)
  const transcript = ref<TranscriptLine[]>([])
  /** The sort chosen by the user, remembered across walks. */
  const sort = ref<SortOrder>({ key: 'size', descending: true })
  /** While a walk is live: os.walk order, until a sort is chosen (then undefined: `sort` applies). */
  const liveOrder = ref<SortOrder>()
  const order = computed(() => liveOrder.value ?? sort.value)
  /** Apparent size (du -b) or disk usage (du -B1, st_blocks × 512). */
  const measure = ref<SizeMeasure>('apparent')
  /** Bumped when the tree should be shown again (throttled while streaming). */
  const treeVersion = ref(0)
  /** The selected row, by what it shows (not by position): it survives sorting, streaming and re-rooting. */
  const selection = shallowRef<RowKey>()
  /** The directory the tree is re-rooted on (undefined: top). */
  const viewRoot = shallowRef<DirNode>()
  /** Bumped to have the tree scroll the selection into view (after a step, a search jump, a re-root). */
  const scrollRequest = ref(0)
  /**
   * Incremental search below the view's root (the whole scan unless re-rooted), and the match
   * jumped to last, kept by what it is: re-rooting or streaming re-runs the search, and its place
   * among the new matches (searchAt) follows it.
   */
  const searchQuery = ref('')
  const searchCurrent = shallowRef<SearchMatch>()
  /**
   * A jump would have gone past the last match kept (SEARCH_MATCHES_KEPT) or before the first: with
   * more matches than that, wrapping round would skip the others, so the jump stays and says why.
   */
  const searchPastKept = ref(false)
  /** What copying a path or revealing it said, and about which path. */
  const pathNotice = shallowRef<{ text: string; tone: 'ok' | 'error'; path: string }>()
  /** That notice, under the tree's bar while the entry it speaks of is still the one selected. */
  const notice = computed(() => {
    const said = pathNotice.value
    return said !== undefined && said.path === selectedPath() ? said : undefined
  })
  /** Export for ncdu is under way (being prepared, then saved): the button says so and ignores clicks. */
  const exportingNcdu = ref(false)
  /** Open ncdu file… is reading the chosen file's first item; the scan on screen stays until it comes. */
  const openingFile = ref(false)
  /**
   * A saved scan that could not be opened while a scan was on screen: that scan stays, as w keeps
   * its value when `w = ncdu_export(...)` raises. Cleared by the next walk or file opened.
   */
  const openFailure = shallowRef<{ file: string; error: LabErrorInfo }>()

  let lineId = 0
  let sessionId = 0
  let lastRefresh = 0
  let pauseRequested = false
  let cancelling = false
  /** Time spent pulling (stepping or running), not waiting for the user: for elapsed time and rate. */
  let activeBefore = 0
  let activeSince: number | undefined
  let clock: ReturnType<typeof setInterval> | undefined

  /**
   * The generator's state as inspect.getgeneratorstate gives it, except while the `for` loop
   * streams: between two batches the generator is suspended for a few milliseconds, too short to
   * read, and showing it would swap the badge (a frame, and an announcement) once per batch.
   */
  const generatorState = computed<GeneratorState | undefined>(() => {
    const state = session.value?.generator.state
    return state === 'suspended' && phase.value === 'running' ? 'running' : state
  })
  const args = computed(() => session.value?.args)
  const busy = computed(() => openingFile.value || ['opening', 'stepping', 'running', 'pausing'].includes(phase.value))
  const live = computed(() => session.value !== undefined && generatorState.value !== 'closed')
  /**
   * The form describes another walk than the one on screen: stepping or running starts it afresh.
   * A saved ncdu scan was read with none of the walk's options, so only another folder counts.
   */
  const formChanged = computed(() => {
    const current = session.value
    if (current === undefined || !formResult.value.ok) return false
    if (current.generator.kind === 'ncduImport') return formResult.value.args.top !== current.args.top
    return !sameWalk(formResult.value.args, current.args)
  })
  const canContinue = computed(() => live.value && !formChanged.value)
  const rows = computed<Rows | undefined>(() => {
    void treeVersion.value
    const tree = session.value?.tree
    if (tree === undefined) return undefined
    tree.measure = measure.value
    return markRaw(tree.flatten(order.value, viewRoot.value ?? tree.root))
  })
  /**
   * What os.walk passed to onerror for top itself when top cannot be walked (missing, a file,
   * unreadable): it yields nothing then, and the generator ends normally.
   */
  const topError = computed<LabErrorInfo | undefined>(() => {
    void treeVersion.value
    const current = session.value
    if (current === undefined || current.generator.kind !== 'walk' || current.tree.counters.dirs > 0) return undefined
    return current.tree.root.error
  })
  /** The selection's row, or -1 when it is not shown (a collapsed folder holds it). */
  const selectedIndex = computed(() => {
    const current = rows.value
    const key = selection.value
    return current === undefined || key === undefined ? -1 : current.indexOf(key)
  })
  /** From top down to the view's root: the breadcrumb. */
  const breadcrumb = computed<DirNode[]>(() => {
    void treeVersion.value
    const trail: DirNode[] = []
    for (let node = viewRoot.value; node !== undefined; node = node.parent) trail.unshift(node)
    return trail.length === 0 && session.value !== undefined ? [session.value.tree.root] : trail
  })
  /** The tree version the search last saw (see SEARCH_REFRESH_MS), when it ran, and how long it took. */
  const searchedVersion = ref(0)
  let searchedAt = -Infinity
  let searchMs = 0
  /** The matches kept, and whether there were more (the search looks for one more than it keeps). */
  const searchFound = computed<{ matches: SearchMatch[]; more: boolean }>(() => {
    void searchedVersion.value
    const tree = session.value?.tree
    if (tree === undefined || searchQuery.value === '') return { matches: [], more: false }
    tree.measure = measure.value
    searchedAt = performance.now()
    const matches = tree.search(searchQuery.value, order.value, SEARCH_MATCHES_KEPT + 1, viewRoot.value ?? tree.root)
    searchMs = performance.now() - searchedAt
    const more = matches.length > SEARCH_MATCHES_KEPT
    return { matches: markRaw(more ? matches.slice(0, SEARCH_MATCHES_KEPT) : matches), more }
  })
  const searchMatches = computed(() => searchFound.value.matches)
  /** More names match than the search keeps. */
  const searchMoreMatches = computed(() => searchFound.value.more)
  /** The match jumped to last among the matches, or -1 (none yet, or not in the view's root). */
  const searchAt = computed(() => {
    const current = searchCurrent.value
    return current === undefined ? -1 : searchMatches.value.findIndex((match) => sameRow(match, current))
  })
  /** The tree, its order or its measure changed: views and the search follow at once. */
  function treeChanged(): void {
    treeVersion.value++
    searchedVersion.value++
  }

  // A new order moves the rows under the selection: it is brought into view (as ncdu keeps its cursor in view).
  watch(
    [sort, liveOrder, measure],
    ([, , nowMeasure], [wasSort, wasLive, wasMeasure]) => {
      treeChanged()
      scrollRequest.value++
      // Only a new sort key sorts anew (names do not change with the measure). Both orders are
      // replaced, never changed in place, so the old values are the order shown before.
      if (sortCacheKey(order.value, nowMeasure) !== sortCacheKey(wasLive ?? wasSort, wasMeasure))
        scrollWhenSorted = true
    },
    { deep: true }
  )

  /**
   * Entries of folders too large to sort in one task (SORT_IN_STEPS_FROM) being sorted in slices
   * (0 when none): meanwhile their rows keep their last order (os.walk's at first), then the
   * view and the search follow the new one.
   */
  const sortingEntries = ref(0)
  let sorting: { tree: WalkTree; order: string } | undefined
  /**
   * The order or the measure changed and the folders sorted in slices for it have not all been:
   * their end brings the selection into view again. A sort for anything else (a walk streaming
   * into a large folder, a search) leaves the view where the user scrolled it, as smaller folders,
   * sorted at once, do.
   */
  let scrollWhenSorted = false
  watch([rows, searchMatches], () => void sortLargeFolders())

  async function sortLargeFolders(): Promise<void> {
    const tree = session.value?.tree
    const wanted = sortCacheKey(order.value, measure.value)
    // Another scan, order or measure: the sort under way stops at its next slice.
    if (sorting !== undefined && (sorting.tree !== tree || sorting.order !== wanted)) {
      sorting = undefined
      sortingEntries.value = 0
    }
    const entries = tree?.unsortedEntries(order.value) ?? 0
    if (sorting === undefined && entries === 0) scrollWhenSorted = false
    if (tree === undefined || entries === 0 || sorting !== undefined) return
    const job = (sorting = { tree, order: wanted })
    sortingEntries.value = entries
    const done = await applyInSlices(tree.sortSteps(order.value), () => {}, {
      budgetMs: SLICE_BUDGET_MS,
      keepGoing: () => sorting === job
    })
    if (!done) return
    sorting = undefined
    sortingEntries.value = 0
    treeChanged()
    // The order chosen switched the rows under the selection: bring it into view, as choosing an order does.
    if (scrollWhenSorted) scrollRequest.value++
    scrollWhenSorted = false
  }
  watch(searchQuery, () => {
    searchCurrent.value = undefined
    searchPastKept.value = false
  })

  function say(line: Omit<TranscriptLine, 'id'>): TranscriptLine {
    const entry = { id: ++lineId, ...line }
    transcript.value.push(entry)
    if (transcript.value.length > TRANSCRIPT_LINES_KEPT)
      transcript.value.splice(0, transcript.value.length - TRANSCRIPT_LINES_KEPT)
    return transcript.value.at(-1)!
  }

  /**
   * The `for` loop stopped (`how` it ended, or paused): say how many onerror lines were
   * left out of the transcript, then how many triples the loop saw. Python calls onerror during the
   * loop, so when onerror lines were said since the loop's line, the count goes on a line of its
   * own after them, as next(w)'s answer does, rather than on the loop's line above them.
   */
  function endLoop(current: WalkSession, how: LoopEnd): void {
    const line = current.loopLine
    if (line === undefined) return
    if (current.loopErrorsHidden > 0)
      say({
        output: `# … and ${plural(current.loopErrorsHidden, 'more onerror call')}, all shown in the tree`,
        tone: 'error'
      })
    const progress = loopProgress(current, how)
    if (transcript.value.at(-1) === line) line.output = progress
    else {
      line.output = ''
      say({ output: progress, tone: 'note' })
    }
    current.loopLine = undefined
    current.loopErrorsSaid = 0
    current.loopErrorsHidden = 0
  }

  /** Pulling starts: the elapsed time counts, and ticks while no batch comes (a folder of 300,000 files is listed whole first). */
  function active(): void {
    activeSince = performance.now()
    clock ??= setInterval(() => {
      if (activeSince !== undefined) elapsedMs.value = activeBefore + performance.now() - activeSince
    }, REFRESH_MS)
  }

  /** Pulling stopped (suspended or ended): bank the active time. */
  function idle(): void {
    if (activeSince !== undefined) activeBefore += performance.now() - activeSince
    activeSince = undefined
    clearInterval(clock)
    clock = undefined
  }

  function refresh(force = false): void {
    const current = session.value
    if (current === undefined) return
    const now = performance.now()
    if (!force && now - lastRefresh < REFRESH_MS) return
    lastRefresh = now
    counters.value = { ...current.tree.counters }
    elapsedMs.value = activeBefore + (activeSince === undefined ? 0 : now - activeSince)
    treeVersion.value++
    const streaming = !force && phase.value === 'running'
    if (!streaming || now - searchedAt >= Math.max(SEARCH_REFRESH_MS, 5 * searchMs)) searchedVersion.value++
    if (current.loopLine !== undefined) current.loopLine.output = loopProgress(current)
  }

  function loopProgress(current: WalkSession, how: LoopEnd = 'running'): string {
    const last = current.lastDirpath
    const triples = plural(current.tree.counters.dirs, 'triple')
    return `# ${triples} ${loopEndWords[how]}${last === undefined ? '' : `, the last for ${pyStr(last)}`}`
  }

  /** Forgets the walk on screen: its loop sees it is no longer current and stops quietly. */
  async function forget(): Promise<void> {
    const previous = session.value
    session.value = undefined
    pauseRequested = false
    cancelling = false
    phase.value = 'opening'
    failure.value = undefined
    openFailure.value = undefined
    summary.value = undefined
    firstTripleMs.value = undefined
    counters.value = emptyWalkSummary()
    elapsedMs.value = 0
    idle()
    activeBefore = 0
    selection.value = undefined
    viewRoot.value = undefined
    searchCurrent.value = undefined
    searchPastKept.value = false
    pathNotice.value = undefined
    liveOrder.value = WALK_ORDER
    if (previous !== undefined && previous.generator.state !== 'closed')
      await previous.generator.return().catch(() => undefined)
  }

  function begin(args: WalkArgs, generator: WalkGenerator, tree: WalkTree, askedAt: number): WalkSession {
    const created: WalkSession = markRaw({
      id: ++sessionId,
      args,
      generator,
      tree: markRaw(tree),
      askedAt,
      loopErrorsSaid: 0,
      loopErrorsHidden: 0
    })
    session.value = created
    phase.value = 'created'
    treeChanged()
    return created
  }

  /** w = os.walk(...): creates the generator; nothing is read until the first next(). */
  async function open(): Promise<WalkSession | undefined> {
    const result = formResult.value
    if (!result.ok || phase.value === 'opening') return undefined
    const askedAt = performance.now()
    performance.mark('walk:ask')
    await forget()
    const walkArgs = result.args
    try {
      const generator = await jobs.start(
        'walk',
        walkArgs,
        `os.walk(${JSON.stringify(walkArgs.top)})`,
        cancelFromOutside
      )
      const created = begin(walkArgs, generator, new WalkTree(walkArgs.top), askedAt)
      say({
        input: `w = ${walkCall(walkArgs)}`,
        output: `<generator object walk at ${generator.id}>  # created: nothing read yet`,
        tone: 'value'
      })
      if ((walkArgs.exclude ?? []).length > 0 && walkArgs.topdown === false)
        say({ output: `# topdown=False: ${BOTTOM_UP_PRUNING}`, tone: 'note' })
      const byDevice = oneFileSystemLine(walkArgs)
      if (byDevice !== undefined)
        say({
          output: `# stay on this file system (du -x): os.walk has no such option; the loop body prunes by device: ${byDevice}`,
          tone: 'note'
        })
      else if (walkArgs.oneFileSystem === true)
        say({
          output:
            '# stay on this file system (du -x): Browse does not enter a folder on another device; os.walk(topdown=False) cannot be kept out of one',
          tone: 'note'
        })
      return created
    } catch (error) {
      phase.value = 'failed'
      failure.value = errorInfo(error)
      failedAt.value = 'walk'
      say({ input: `w = ${walkCall(walkArgs)}`, output: errorText(error), tone: 'error' })
      return undefined
    }
  }

  /**
   * Opens a scan saved in ncdu's export format (by ncdu -o, or Export for ncdu) and loads it as a
   * walk: the ncduImport job yields the walk's items from the file, nothing on disk is walked.
   * Its folder goes into the path field, so Enter walks it afresh. False when no file was chosen.
   */
  async function openNcdu(): Promise<boolean> {
    if (busy.value) return false
    const { path: file } = await call('dialog.choosePath', { kind: 'file', title: 'Open a scan saved by ncdu -o' })
    if (file === null) return false
    const askedAt = performance.now()
    performance.mark('walk:ask')
    const input = `w = ncdu_export(${pyStr(file)})`
    openFailure.value = undefined
    openingFile.value = true
    let generator: RemoteGenerator<'ncduImport'>
    let first: RemoteBatch<'ncduImport'>
    try {
      generator = await jobs.start('ncduImport', { file }, `ncdu export ${JSON.stringify(file)}`, cancelFromOutside)
      // The first item names the scanned folder, the tree's top; a file that is no scan fails here.
      first = await generator.next(1)
    } catch (error) {
      // Raised by its first next(), the import is closed already, as a Python generator that raised.
      openingFile.value = false
      const info = errorInfo(error)
      say({ input, output: errorText(error), tone: 'error' })
      if (session.value !== undefined && counters.value.dirs > 0) {
        openFailure.value = { file, error: info }
        say({ output: '# w is still the scan on screen: an assignment that raises binds nothing', tone: 'note' })
      } else {
        await forget()
        phase.value = 'failed'
        failure.value = info
        failedAt.value = 'open'
      }
      return true
    }
    openingFile.value = false
    await forget()
    const item = first.items[0]
    const top = item?.kind === 'dir' ? item.dirpath : item?.kind === 'error' ? (item.error.path ?? file) : file
    form.top = top
    const created = begin({ top }, generator, new WalkTree(top), askedAt)
    say({ input, output: `# ${file}: a saved scan of ${pyStr(top)}, read from the file, not walked`, tone: 'note' })
    for (const firstItem of first.items) applyItem(created, firstItem)
    if (first.done) finish(created, first.value)
    else await run()
    return true
  }

  /**
   * Saves the scan on screen in ncdu's export format (ncdu -f reads it): main asks where, in its
   * own save dialog. The export is built in slices of a few milliseconds, so a large scan takes
   * several frames to prepare but the window stays responsive. Null when there is no scan, an
   * export is already under way, or the dialog was cancelled; else where it went.
   */
  async function exportNcdu(): Promise<string | null> {
    const current = session.value
    if (current === undefined || exportingNcdu.value) return null
    exportingNcdu.value = true
    try {
      const { version } = await call('app.info', undefined)
      const header = { progver: version, timestamp: Math.floor(Date.now() / 1000) }
      const bytes = await ncduExportBytes(current.tree, header, { budgetMs: SLICE_BUDGET_MS })
      const { path } = await call('walk.saveNcdu', {
        bytes,
        suggestedName: `${baseName(current.tree.top) || 'scan'}.ncdu.json`
      })
      if (path !== null) say({ output: `# saved for ncdu: ncdu -f ${pyStr(path)}`, tone: 'note' })
      return path
    } finally {
      exportingNcdu.value = false
    }
  }

  /**
   * Why the walk on screen can yield nothing more, when next(w) and the `for` loop would still
   * mean it (same options): as in Python, a generator that ended, was closed or raised only raises
   * StopIteration; a new walk starts from Walk (Enter). Undefined when it can go on, or there is none.
   */
  function spentBecause(): string | undefined {
    const current = session.value
    if (current === undefined || live.value || formChanged.value) return undefined
    if (phase.value === 'cancelled') return 'w was closed'
    if (phase.value === 'failed') return 'w raised an error'
    return 'w is exhausted'
  }

  /** The walk to continue, or a fresh one when there is none (or the form changed). */
  async function usable(): Promise<WalkSession | undefined> {
    const current = session.value
    if (!canContinue.value || current === undefined) return open()
    if (firstTripleMs.value === undefined) {
      // Created earlier (Browse…), pulled only now: time to first triple counts from this request.
      current.askedAt = performance.now()
      performance.mark('walk:ask')
    }
    return current
  }

  function applyItem(current: WalkSession, item: WalkItem): void {
    current.tree.apply(item)
    if (item.kind === 'error') {
      if (current.loopLine !== undefined && current.loopErrorsSaid >= LOOP_ERRORS_SHOWN) current.loopErrorsHidden++
      else {
        if (current.loopLine !== undefined) current.loopErrorsSaid++
        // os.walk stats no file: a file it listed but could not size is the loop body's error, not onerror's.
        const output =
          item.file === true
            ? `file_size(): ${item.error.code}: ${item.error.message}  # os.walk listed it; its lstat failed`
            : `onerror(${item.error.code}): ${item.error.message}`
        say({ output, tone: 'error' })
      }
    } else if (item.kind === 'skip' && item.reason === 'cycle' && current.loopSaid !== true) {
      // Where Browse and os.walk part: os.walk(followlinks=True) re-enters the loop until the path is too long.
      current.loopSaid = true
      say({
        output:
          `# os.path.join(${pyStr(item.parent)}, ${pyStr(item.name)}) links to a folder above it: not entered ` +
          '(nor any other loop; the tree marks each). os.walk(followlinks=True) would go round it until the path is too long.',
        tone: 'note'
      })
    } else if (item.kind === 'dir') {
      current.lastDirpath = item.dirpath
      if (firstTripleMs.value === undefined) {
        firstTripleMs.value = performance.now() - current.askedAt
        refresh(true)
        void nextTick(() => {
          performance.mark('walk:first-triple')
          performance.measure('walk:time-to-first-triple', 'walk:ask', 'walk:first-triple')
        })
      }
    }
  }

  /** next(w): one os.walk triple (onerror reports on the way are shown as they come, as Python calls onerror). */
  async function step(): Promise<void> {
    if (busy.value) return
    const spent = spentBecause()
    if (spent !== undefined) {
      say({ input: 'next(w)', output: `StopIteration  # ${spent}; Walk (Enter) starts a new walk`, tone: 'value' })
      return
    }
    const current = await usable()
    if (current === undefined) return
    phase.value = 'stepping'
    active()
    const call = say({ input: 'next(w)', output: '…', tone: 'value' })
    // What next(w) returned or raised. Python calls onerror before next() returns, so when onerror
    // lines were said during the call, the answer goes on a line of its own after them.
    const answer = (output: string, tone: TranscriptLine['tone']): void => {
      if (transcript.value.at(-1) === call) Object.assign(call, { output, tone })
      else {
        call.output = ''
        say({ output, tone })
      }
    }
    try {
      for (;;) {
        const batch = await current.generator.next(1)
        if (session.value !== current) return
        for (const item of batch.items) applyItem(current, item)
        const item = batch.items.at(-1)
        if (item?.kind === 'dir') {
          answer(tripleRepr(item), 'value')
          if (item.excluded.length > 0)
            say({
              input: pruneLines(current.args).join('\n'),
              output: `# pruned ${pyNames(item.excluded)}: os.walk will not go into ${item.excluded.length === 1 ? 'it' : 'them'}`,
              tone: 'note'
            })
          const last = current.tree.last!
          current.tree.reveal(last)
          if (viewRoot.value !== undefined && !current.tree.within(last, viewRoot.value)) viewRoot.value = undefined
          selection.value = { node: last, kind: ROW_DIR }
          scrollRequest.value++
          break
        }
        if (batch.done || batch.items.length === 0) {
          answer('StopIteration', 'value')
          finish(current, batch.value)
          return
        }
      }
      phase.value = 'suspended'
      idle()
      refresh(true)
    } catch (error) {
      if (session.value !== current) return
      answer(errorText(error), 'error')
      fail(current, error)
    }
  }

  /** Runs the walk to its end: `for dirpath, dirnames, filenames in w: ...`. */
  async function run(): Promise<void> {
    if (busy.value) return
    const spent = spentBecause()
    if (spent !== undefined) {
      say({
        input: loopInput(session.value!.args),
        output: `# the loop body never ran: ${spent}; Walk (Enter) starts a new walk`,
        tone: 'note'
      })
      return
    }
    const current = await usable()
    if (current === undefined) return
    pauseRequested = false
    phase.value = 'running'
    active()
    current.loopLine = say({ input: loopInput(current.args), output: loopProgress(current), tone: 'note' })
    const isCurrent = (): boolean => session.value === current
    // Cancel (w.close()) breaks out of the loop at once, as in Python: the items of a batch not yet
    // applied were yielded, but the loop body never runs for them.
    const keepLooping = (): boolean => isCurrent() && !cancelling
    // The first pull asks for one triple, so it shows at once; later pulls are bounded by the worker's time budget.
    let pending: Promise<RemoteBatch<'walk' | 'ncduImport'>> | undefined = current.generator.next(
      current.tree.counters.dirs === 0 ? 1 : RUN_BATCH_ITEMS
    )
    try {
      while (pending !== undefined) {
        const batch: RemoteBatch<'walk' | 'ncduImport'> = await pending
        pending = undefined
        if (!keepLooping()) return
        // Ask for the next batch now, so main walks on while this one is applied here.
        if (!batch.done && !pauseRequested) pending = current.generator.next(RUN_BATCH_ITEMS)
        await applyInSlices(batch.items, (item) => applyItem(current, item), {
          budgetMs: SLICE_BUDGET_MS,
          afterSlice: () => refresh(),
          keepGoing: keepLooping
        })
        if (!keepLooping()) {
          pending?.catch(() => undefined)
          return
        }
        refresh()
        if (batch.done) {
          finish(current, batch.value)
          return
        }
      }
      endLoop(current, 'running')
      phase.value = 'suspended'
      idle()
      say({ output: '# paused: the generator is suspended at its yield; Resume goes on from there', tone: 'note' })
      refresh(true)
    } catch (error) {
      if (isCurrent()) fail(current, error)
    }
  }

  /** Walk (Enter): a fresh generator, run to the end. */
  async function openAndRun(): Promise<void> {
    if (busy.value) return
    if ((await open()) !== undefined) await run()
  }

  /**
   * Walk (Enter) with a form that names no walk (an empty path, a bad pattern): nothing starts,
   * and a walk that failed before its first triple, or whose top could not be walked, is put away,
   * so its card does not stay on screen as if it answered this Enter. A tree stays: it shows what
   * an earlier walk found.
   */
  async function clearFailedStart(): Promise<void> {
    if (busy.value || counters.value.dirs > 0) return
    if (phase.value !== 'failed' && topError.value === undefined) return
    await forget()
    liveOrder.value = undefined
    phase.value = 'idle'
  }

  function pause(): void {
    if (phase.value !== 'running') return
    pauseRequested = true
    phase.value = 'pausing'
  }

  /** w.close(): GeneratorExit inside the walk; a batch in flight is cancelled. */
  async function cancel(): Promise<void> {
    const current = session.value
    if (current === undefined || current.generator.state === 'closed') return
    cancelling = true
    pauseRequested = true
    await current.generator.return().catch(() => undefined)
    if (session.value !== current) return
    ended(current, 'cancelled')
    say({
      input: 'w.close()',
      output: '# GeneratorExit in the walk: its open directory is closed, the rest is never read',
      tone: 'note'
    })
  }

  /** The status bar's Cancel: for the walk on screen, what the tab's Cancel does; an older one is just closed. */
  function cancelFromOutside(generator: WalkGenerator): Promise<void> {
    return session.value?.generator === generator ? cancel() : generator.return()
  }

  function finish(current: WalkSession, value: WalkSummary | undefined): void {
    summary.value = value
    ended(current, 'done')
    const c = current.tree.counters
    const filtered = current.args.files !== undefined && current.args.files.length > 0
    say({
      output: `StopIteration  # ${plural(c.dirs, 'dir')}, ${plural(c.files, 'file')}, ${formatBytes(c.bytes)}, ${plural(c.errors, 'error')}${
        filtered ? `; the pipeline kept ${plural(c.keptFiles, 'file')} (${formatBytes(c.keptBytes)})` : ''
      }`,
      tone: 'note'
    })
  }

  function fail(current: WalkSession, error: unknown): void {
    const info = errorInfo(error)
    if (info.code === 'CANCELLED') {
      // Our own cancel() says so itself; a cancel from elsewhere (the status bar) is noted here.
      if (cancelling) return
      ended(current, 'cancelled')
      say({ output: '# cancelled: the generator was closed', tone: 'note' })
      return
    }
    failure.value = info
    failedAt.value = current.generator.kind === 'ncduImport' ? 'open' : 'walk'
    const inLoop = current.loopLine !== undefined
    ended(current, 'failed')
    if (inLoop) say({ output: errorText(error), tone: 'error' })
  }

  function ended(current: WalkSession, how: Exclude<LoopEnd, 'running'>): void {
    idle()
    endLoop(current, how)
    current.tree.ended = true
    liveOrder.value = undefined
    phase.value = how
    refresh(true)
  }

  async function chooseFolder(): Promise<boolean> {
    const { path } = await call('dialog.choosePath', { kind: 'directory', title: 'Choose a folder to walk' })
    if (path === null) return false
    form.top = path
    await open()
    return true
  }

  /** Expands or collapses a folder; collapsing one that holds the selection selects it, as a WAI-ARIA tree moves focus. */
  function toggle(node: DirNode, expanded = !node.expanded): void {
    node.expanded = expanded
    const key = selection.value
    const tree = session.value?.tree
    // Any row below the folder is hidden now (its files' rows too); its own row stays, and the
    // view's root (re-rooted) always shows its rows.
    const hidden =
      key !== undefined &&
      node !== viewRoot.value &&
      tree?.within(key.node, node) === true &&
      (key.node !== node || key.kind !== ROW_DIR)
    if (!expanded && hidden) selection.value = { node, kind: ROW_DIR }
    treeVersion.value++
  }

  /** Chooses a sort (again: reverses it); it applies at once, also while a walk is live, and is remembered. */
  function setSort(key: SortOrder['key']): void {
    const shown = order.value
    sort.value = shown.key === key ? { key, descending: !shown.descending } : { key, descending: key === 'size' }
    liveOrder.value = undefined
  }

  function toggleMeasure(): void {
    measure.value = measure.value === 'apparent' ? 'disk' : 'apparent'
  }

  function select(key: RowKey | undefined): void {
    selection.value = key
  }

  /**
   * Shows the tree from `node` down (Enter, double-click); the breadcrumb leads back up. Going up,
   * the folder we came from (or the one on the way to it) is selected, as ncdu does.
   */
  function reroot(node: DirNode): void {
    const tree = session.value?.tree
    if (tree === undefined) return
    const from = viewRoot.value
    let selected = node
    if (from !== undefined && from !== node && tree.within(from, node))
      for (selected = from; selected.parent !== node;) selected = selected.parent!
    viewRoot.value = node === tree.root ? undefined : node
    selection.value = { node: selected, kind: ROW_DIR }
    searchPastKept.value = false
    scrollRequest.value++
  }

  /** Selects a folder that cannot be shown from (re-rooted on) and says why, under the tree's bar. */
  function tellNotEntered(node: DirNode, text: string): void {
    const tree = session.value?.tree
    if (tree === undefined) return
    selection.value = { node, kind: ROW_DIR }
    pathNotice.value = { text, tone: 'ok', path: tree.pathOf(node) }
  }

  /** Up one root (Backspace). */
  function rerootUp(): void {
    const parent = viewRoot.value?.parent
    if (parent !== undefined) reroot(parent)
  }

  /**
   * Jumps to the next (or previous) search match: opens the folders above it and selects it. The
   * matches are below the view's root, so the view stays where it is.
   */
  function jumpToMatch(step: 1 | -1 = 1): void {
    const tree = session.value?.tree
    const matches = searchMatches.value
    if (tree === undefined || matches.length === 0) return
    // The match jumped to last, still in view, is no longer among those kept: a new order moved it
    // past them, and the matches next to it are not known. Back to the first would lose the place.
    const current = searchCurrent.value
    if (
      searchAt.value === -1 &&
      current !== undefined &&
      searchMoreMatches.value &&
      tree.within(current.node, viewRoot.value ?? tree.root)
    ) {
      searchPastKept.value = true
      return
    }
    // Before any jump, Next goes to the first match and Previous to the last, as a find in a page does.
    const from = searchAt.value === -1 && step === -1 ? 0 : searchAt.value
    const to = from + step
    searchPastKept.value = searchMoreMatches.value && (to < 0 || to >= matches.length)
    if (searchPastKept.value) return
    const match = matches[(to + matches.length) % matches.length]!
    tree.reveal(match.node)
    if (match.kind !== ROW_DIR) match.node.expanded = true
    searchCurrent.value = match
    selection.value = match
    treeVersion.value++
    scrollRequest.value++
  }

  /** The path of the selected row (or top), as the walker spells it. */
  function selectedPath(): string | undefined {
    const tree = session.value?.tree
    if (tree === undefined) return undefined
    return tree.pathOfKey(selection.value ?? { node: viewRoot.value ?? tree.root, kind: ROW_DIR })
  }

  /**
   * Copies the selected path. Text cannot hold bytes that are not UTF-8: such a path is copied as
   * a shell string that gives its bytes back ($'…\xff…'), so pasting it into a terminal finds it.
   */
  async function copyPath(): Promise<void> {
    const path = selectedPath()
    if (path === undefined) return
    // Not UTF-8, or holding a newline, an escape or a bidirectional override: pasted as it is, a
    // terminal would lose the bytes, run what follows the newline, or show other text.
    const quoted = hasUnprintable(path)
    const text = quoted ? shellBytesQuoted(path) : path
    try {
      await navigator.clipboard.writeText(text)
      pathNotice.value = {
        text: !quoted
          ? `Copied ${path}`
          : hasEscapedBytes(path)
            ? `Copied as a shell string, ${text}: the name is not UTF-8, so text can carry its bytes only so`
            : `Copied as a shell string, ${text}: the name holds characters a terminal would act on or hide`,
        tone: 'ok',
        path
      }
    } catch {
      pathNotice.value = { text: `The clipboard was refused; the path is ${text}`, tone: 'error', path }
    }
  }

  /** Shows the selected entry in the system's file manager (main asks the shell). */
  async function revealSelected(): Promise<void> {
    const path = selectedPath()
    if (path === undefined) return
    try {
      const { shown } = await call('shell.showItemInFolder', { path })
      // The file manager takes names as UTF-8 text: for a name that is not, main shows the nearest folder whose name is.
      const text =
        shown === path
          ? `Shown in the file manager: ${path}`
          : `Shown in the file manager: ${shown}, the nearest folder above it that the file manager can be given (${shownName(path)})`
      pathNotice.value = { text, tone: 'ok', path }
    } catch (error) {
      pathNotice.value = { text: errorText(error), tone: 'error', path }
    }
  }

  return {
    form,
    formResult,
    formChanged,
    session,
    phase,
    failure,
    failedAt,
    openingFile,
    openFailure,
    topError,
    counters,
    summary,
    firstTripleMs,
    elapsedMs,
    transcript,
    sort,
    order,
    measure,
    rows,
    sortingEntries,
    treeVersion,
    selection,
    selectedIndex,
    viewRoot,
    breadcrumb,
    scrollRequest,
    searchQuery,
    searchMatches,
    searchMoreMatches,
    searchAt,
    searchPastKept,
    notice,
    exportingNcdu,
    generatorState,
    args,
    busy,
    live,
    canContinue,
    open,
    openNcdu,
    exportNcdu,
    step,
    run,
    openAndRun,
    clearFailedStart,
    pause,
    cancel,
    chooseFolder,
    toggle,
    setSort,
    toggleMeasure,
    select,
    reroot,
    tellNotEntered,
    rerootUp,
    jumpToMatch,
    copyPath,
    revealSelected
  }
})

/** The lines that prune dirnames in the loop body, one per exclude pattern. */
function pruneLines(args: WalkArgs): string[] {
  return (args.exclude ?? []).map(pruneLine)
}

/** `for dirpath, dirnames, filenames in w:` with its body: the prune lines, if any. */
function loopInput(args: WalkArgs): string {
  const prunes = pruneLines(args)
  // Pruned by device at the end of the body, once what the body counts is counted (see walkPythonCode).
  const byDevice = oneFileSystemLine(args)
  return prunes.length === 0 && byDevice === undefined
    ? 'for dirpath, dirnames, filenames in w: ...'
    : [
        'for dirpath, dirnames, filenames in w:',
        ...prunes.map((line) => `    ${line}`),
        '    ...',
        ...(byDevice === undefined ? [] : [`    ${byDevice}`])
      ].join('\n')
}

/** With "stay on this file system" top-down, the loop body's line that does it (os.walk has no such option). */
function oneFileSystemLine(args: WalkArgs): string | undefined {
  return devicePruneLine(args, `os.stat(${pyStr(args.top)}).st_dev`)
}

function errorText(error: unknown): string {
  const info = errorInfo(error)
  return `LabError ${info.code}: ${info.message}`
}
