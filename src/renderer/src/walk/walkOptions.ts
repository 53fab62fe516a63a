/**
 * The Browse form (path, os.walk options, filename filters) turned into `walk` job arguments,
 * with the same limits main enforces, so mistakes are reported beside the field that has them.
 */
import * as v from 'valibot'
import { walkArgsSchema, type WalkArgs, type WalkFilterStage } from '@shared/walkJob'

/** Items the Browse tab asks for per pull while running; the worker also returns a batch after 50 ms of work. */
export const RUN_BATCH_ITEMS = 4096

/** keep: filter(pred, files); drop: itertools.filterfalse(pred, files). */
export type FilterMode = 'keep' | 'drop'

export interface WalkForm {
  top: string
  topdown: boolean
  followlinks: boolean
  /** Stay on top's file system (du -x). */
  oneFileSystem: boolean
  /** Folder patterns to prune, separated by commas or spaces: ".git, node_modules". */
  exclude: string
  glob: string
  globMode: FilterMode
  extensions: string
  extensionMode: FilterMode
}

export const defaultWalkForm = (): WalkForm => ({
  top: '',
  topdown: true,
  followlinks: false,
  oneFileSystem: false,
  exclude: '',
  glob: '',
  globMode: 'keep',
  extensions: '',
  extensionMode: 'keep'
})

/** "py, .txt  tar.gz" → ['.py', '.txt', '.tar.gz'] (a leading dot is added; duplicates dropped). */
export function parseExtensions(text: string): string[] {
  const suffixes = text
    .split(/[\s,;]+/)
    .filter((part) => part !== '')
    .map((part) => (part.startsWith('.') ? part : `.${part}`))
  return [...new Set(suffixes)]
}

/** ".git, node_modules  build*" → ['.git', 'node_modules', 'build*'] (duplicates dropped). */
export function parseExcludes(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((part) => part !== ''))]
}

export function filterStages(form: WalkForm): WalkFilterStage[] {
  const stages: WalkFilterStage[] = []
  const glob = form.glob.trim()
  if (glob !== '')
    stages.push({ fn: form.globMode === 'keep' ? 'filter' : 'filterfalse', test: 'fnmatch', pattern: glob })
  const suffixes = parseExtensions(form.extensions)
  if (suffixes.length > 0)
    stages.push({ fn: form.extensionMode === 'keep' ? 'filter' : 'filterfalse', test: 'endswith', suffixes })
  return stages
}

export type FormField = 'top' | 'exclude' | 'glob' | 'extensions'

/** What is wrong with one field, said beside it. */
export interface FormProblem {
  field: FormField
  message: string
}

export type FormResult = { ok: true; args: WalkArgs } | { ok: false; problems: FormProblem[] }

const fieldLabels: Record<FormField, string> = {
  top: 'Folder',
  exclude: 'Exclude folders',
  glob: 'Pattern',
  extensions: 'Extensions'
}

/** The id of the element saying a field's problem (its aria-describedby). */
export function formProblemId(field: FormField): string {
  return `walk-form-problem-${field}`
}

/** The form's fields in the order they are shown, which is the order their problems are listed in. */
const formFields = Object.keys(fieldLabels) as FormField[]

/**
 * The arguments for the form, or every field's problem with it at once (the first for each
 * field, checked with main's own schema), so fixing one field does not reveal another.
 */
export function walkArgsFromForm(form: WalkForm): FormResult {
  const args: WalkArgs = {
    top: form.top,
    topdown: form.topdown,
    followlinks: form.followlinks,
    oneFileSystem: form.oneFileSystem,
    exclude: parseExcludes(form.exclude),
    files: filterStages(form)
  }
  const parsed = v.safeParse(walkArgsSchema, args)
  if (parsed.success) return { ok: true, args }
  const messages = new Map<FormField, string>()
  if (form.top === '') messages.set('top', 'Type a folder path or choose one with Browse…')
  for (const issue of parsed.issues) {
    const field = fieldOfIssue(issue.path?.map((item) => String(item.key)) ?? [])
    if (!messages.has(field)) messages.set(field, `${fieldLabels[field]}: ${issue.message}`)
  }
  return {
    ok: false,
    problems: formFields.flatMap((field) => {
      const message = messages.get(field)
      return message === undefined ? [] : [{ field, message }]
    })
  }
}

/** The field an issue of walkArgsSchema is about, from the keys leading to it. */
function fieldOfIssue(keys: string[]): FormField {
  if (keys[0] === 'files') return keys.includes('pattern') ? 'glob' : 'extensions'
  return keys[0] === 'exclude' ? 'exclude' : 'top'
}

/** Two argument sets describe the same walk. */
export function sameWalk(a: WalkArgs, b: WalkArgs): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b))
}

function normalize(args: WalkArgs): Required<WalkArgs> {
  return {
    top: args.top,
    topdown: args.topdown ?? true,
    followlinks: args.followlinks ?? false,
    oneFileSystem: args.oneFileSystem ?? false,
    exclude: args.exclude ?? [],
    files: args.files ?? []
  }
}
