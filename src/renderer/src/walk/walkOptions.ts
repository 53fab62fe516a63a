/**
 * The Browse form (path, os.walk options, filename filters) turned into `walk` job arguments,
 * with the same limits main enforces, so mistakes are reported beside the field that has them.
 */
import * as v from 'valibot'
import { walkArgsSchema, type WalkArgs, type WalkFilterStage } from '@shared/walkJob'

/** keep: filter(pred, files); drop: itertools.filterfalse(pred, files). */
export type FilterMode = 'keep' | 'drop'

export interface WalkForm {
  top: string
  topdown: boolean
  followlinks: boolean
  glob: string
  globMode: FilterMode
  extensions: string
  extensionMode: FilterMode
}

export const defaultWalkForm = (): WalkForm => ({
  top: '',
  topdown: true,
  followlinks: false,
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

export type FormResult =
  { ok: true; args: WalkArgs } | { ok: false; field: 'top' | 'glob' | 'extensions'; message: string }

/** The arguments for the form, or the first problem with it (checked with main's own schema). */
export function walkArgsFromForm(form: WalkForm): FormResult {
  if (form.top === '') return { ok: false, field: 'top', message: 'Type a folder path or choose one with Browse…' }
  const args: WalkArgs = {
    top: form.top,
    topdown: form.topdown,
    followlinks: form.followlinks,
    files: filterStages(form)
  }
  const parsed = v.safeParse(walkArgsSchema, args)
  if (parsed.success) return { ok: true, args }
  const issue = parsed.issues[0]
  const keys = issue.path?.map((item) => String(item.key)) ?? []
  let field: 'top' | 'glob' | 'extensions' = 'top'
  if (keys[0] === 'files') field = keys.includes('pattern') ? 'glob' : 'extensions'
  return {
    ok: false,
    field,
    message: `${field === 'top' ? 'Folder' : field === 'glob' ? 'Pattern' : 'Extensions'}: ${issue.message}`
  }
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
    files: args.files ?? []
  }
}
