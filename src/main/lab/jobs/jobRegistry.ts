/**
 * Maps each job kind of the contract to the generator that implements it. It runs inside a job
 * worker; arguments were already validated by main against the contract's schema.
 */
import type { JobKind, JobStats, JobTypes, ParsedJobArgs } from '../../../shared/jobKinds'
import type { JobControl } from '../progress'
import { processJob, readJob, sampleDataJob } from '../read/readJobs'
import { sweep } from '../sweep/sweep'
import { ncduCheckJob, ncduImportJob } from '../walk/ncduImport'
import { walkJob } from '../walk/walkJob'
import { importFileJob } from '../importFileJob'

type JobGeneratorFactory<K extends JobKind> = (
  args: ParsedJobArgs<K>,
  control: JobControl<JobStats<K>>
) => Generator<JobTypes[K]['item'], JobTypes[K]['value'], unknown>

/**
 * Kinds whose worker may make the next batch before it is asked for, while streaming: a walk and
 * a saved scan only report what is on disk (pruning is in their arguments), so running one batch
 * ahead changes nothing the consumer sees, and it keeps the walk going during the transport.
 */
export const jobsReadingAhead: ReadonlySet<JobKind> = new Set<JobKind>(['walk', 'ncduImport'])

export const jobRegistry: { [K in JobKind]: JobGeneratorFactory<K> } = {
  *range({ start, stop, step, delayMs }, control) {
    let count = 0
    try {
      for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
        if (delayMs > 0 && control.pause?.(delayMs) === false) return { count }
        count++
        control.report({ completed: count, unit: 'items', stats: { last: i } })
        yield i
      }
      return { count }
    } finally {
      control.log?.(`range(${start}, ${stop}, ${step}): finally ran after ${count} items`)
    }
  },
  process: processJob,
  sampleData: sampleDataJob,
  read: readJob,
  walk: walkJob,
  ncduImport: ncduImportJob,
  ncduCheck: ncduCheckJob,
  sweep,
  importFile: importFileJob
}
