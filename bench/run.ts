/**
 * `npm run bench [-- --only PREFIX] [--json FILE]`: runs every suite in bench/suites, prints a
 * table of our time, the reference's time measured in the same run, and their ratio.
 * `npm run bench -- --sweep FILE [options]`: the chunk-size sweep instead (see bench/sweep.ts).
 */
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { Benchmark, BenchResult } from './types'
import { commandLineArguments } from '../scripts/commandLine'

/** `--sweep FILE [options]` is the chunk-size sweep: bench/sweep.ts parses that command line itself. */
const sweeping = process.argv.includes('--sweep')

const { values: options } = parseArgs({
  args: sweeping ? [] : process.argv.slice(2),
  options: {
    only: { type: 'string' },
    json: { type: 'string' }
  },
  allowPositionals: false
})

async function loadBenchmarks(): Promise<Benchmark[]> {
  const dir = join(import.meta.dirname, 'suites')
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .sort()
  const all: Benchmark[] = []
  for (const file of files) {
    const suite = (await import(pathToFileURL(join(dir, file)).href)) as { benchmarks: Benchmark[] }
    all.push(...suite.benchmarks)
  }
  return all
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3)
}

async function main(): Promise<void> {
  const selected = (await loadBenchmarks()).filter((b) => options.only === undefined || b.name.startsWith(options.only))
  if (selected.length === 0) {
    console.error(`No benchmark matches ${options.only ?? '(all)'}.`)
    process.exitCode = 1
    return
  }
  const results: BenchResult[] = []
  console.log(
    'benchmark'.padEnd(40),
    'ours'.padStart(10),
    'reference'.padStart(10),
    'unit'.padStart(5),
    'ratio'.padStart(8),
    '  what'
  )
  for (const benchmark of selected) {
    let m
    try {
      m = await benchmark.run()
    } catch (error) {
      // One missing reference (a tool not installed) must not hide the other results.
      console.log(benchmark.name.padEnd(40), `not measured: ${error instanceof Error ? error.message : String(error)}`)
      process.exitCode = 1
      continue
    }
    const result: BenchResult = {
      name: benchmark.name,
      value: m.value,
      unit: m.unit,
      reference: m.reference,
      ratio: m.reference / m.value
    }
    results.push(result)
    console.log(
      benchmark.name.padEnd(40),
      formatNumber(m.value).padStart(10),
      formatNumber(m.reference).padStart(10),
      m.unit.padStart(5),
      `${result.ratio.toFixed(2)}x`.padStart(8),
      ` ${benchmark.description}`
    )
  }
  if (options.json !== undefined) {
    writeFileSync(options.json, JSON.stringify(results, null, 2) + '\n')
    console.log(`wrote ${options.json}`)
  }
}

// A FILE whose name is not UTF-8 keeps its bytes (as the walk CLI's DIR does).
if (sweeping) await (await import('./sweep')).sweepCommand(commandLineArguments())
else await main()
