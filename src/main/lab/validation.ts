import type * as v from 'valibot'
import { LabError } from '../../shared/errors'

/** A LabError listing what was wrong with an argument, in the words of the schema. */
export function validationError(what: string, issues: readonly v.BaseIssue<unknown>[]): LabError {
  const problems = issues.map((issue) => {
    const path = issue.path?.map((item) => String(item.key)).join('.')
    return path ? `${path}: ${issue.message}` : issue.message
  })
  return new LabError('INVALID_ARGUMENT', `Invalid ${what}: ${problems.join('; ')}`)
}
