/**
 * The Python that stands for a Read tab run: the lecture's readers (read_binary_eager,
 * read_binary_lazy(fname, chunk_size)), its process(*data_iterables), and the call with the run's
 * files, mode, chunk size, dtype, style and progress interval. A pure function; the program runs
 * as is (a test executes it with python3 and numpy and compares the sum).
 */
import type { Dtype } from '@shared/dataFiles'
import { DEFAULT_CHUNK_ITEMS, DEFAULT_PROGRESS_EVERY, type ProcessArgs, type ReadMode } from '@shared/readJobs'
import { pyStr } from '@renderer/walk/pythonEquivalent'

const npDtype: Record<Dtype, string> = { float64: 'float', float32: 'np.float32', int32: 'np.int32', int64: 'np.int64' }

const readers: Record<ReadMode, (dtype: string) => string> = {
  eager: (dtype) => `def read_binary_eager(fname):  # returns iterable
    with open(fname, 'rb') as f:  # open file read-only
        return np.fromfile(f, dtype=${dtype})`,
  lazyItem: (dtype) => `def read_binary_lazy(fname, chunk_size=1):  # returns generator object
    with open(fname, 'rb') as f:  # open file read-only
        # The lecture's first version, \`while item := np.fromfile(f, dtype=float, count=1)\`, stops at
        # the first 0.0 (an array holding one zero is false), and from numpy 2.2 it raises ValueError at
        # the end of the file (an empty array is neither true nor false): .size > 0 tests for the end.
        while (chunk := np.fromfile(f, dtype=${dtype}, count=chunk_size)).size > 0:
            for item in chunk:
                yield item`,
  lazyChunk: (dtype) => `def read_binary_chunks(fname, chunk_size):  # yields whole chunks (arrays)
    with open(fname, 'rb') as f:  # open file read-only
        while (chunk := np.fromfile(f, dtype=${dtype}, count=chunk_size)).size > 0:
            yield chunk`,
  text: () => `def read_text_lazy(fname):  # one number per line, as np.savetxt writes it
    with open(fname) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()  # a '#' comment, a whole line or after the number
            if line:
                yield float(line)`
}

function readerCall(mode: ReadMode, path: string, chunkSize: number): string {
  switch (mode) {
    case 'eager':
      return `read_binary_eager(${pyStr(path)})`
    case 'lazyItem':
      return `read_binary_lazy(${pyStr(path)}, ${chunkSize})`
    case 'lazyChunk':
      return `read_binary_chunks(${pyStr(path)}, ${chunkSize})`
    case 'text':
      return `read_text_lazy(${pyStr(path)})`
  }
}

/**
 * The loop body that adds one item; chunks (lazy per chunk) are summed as whole arrays, as the app
 * does. The app sums every dtype in float64: numpy would add float32 items in float32 and wrap
 * int32 and int64 sums around, so for those the items are added as Python floats.
 */
function addItem(mode: ReadMode, indent: string, dtype: string): string {
  const asFloat64 = dtype !== npDtype.float64
  if (mode !== 'lazyChunk') {
    const add = asFloat64 ? 'val += float(item)  # in float64, as the app sums every dtype' : 'val += item'
    return `${indent}${add}\n${indent}item_count += 1`
  }
  const add = asFloat64
    ? 'val += item.sum(dtype=np.float64)  # a whole chunk at once, in float64 as the app sums every dtype'
    : 'val += item.sum()  # a whole chunk at once'
  return `${indent}${add}\n${indent}item_count += item.size`
}

export function readPythonCode(args: ProcessArgs): string {
  const first = args.inputs[0]!
  const mode = first.mode
  const dtype = npDtype[mode === 'text' ? 'float64' : (first.dtype ?? 'float64')]
  const every = args.progressEvery ?? DEFAULT_PROGRESS_EVERY
  const calls = args.inputs.map((input) => readerCall(mode, input.path, input.chunkSize ?? DEFAULT_CHUNK_ITEMS))
  const inputs = calls.length === 1 ? calls[0]! : `\n    ${calls.join(',\n    ')},\n`
  const progress =
    mode === 'lazyChunk'
      ? `        if item_count // ${every} > (item_count - item.size) // ${every}:  # print progress`
      : `        if item_count % ${every} == 0:  # print progress`
  const lines = ['from itertools import chain', '', 'import numpy as np', '', '', readers[mode](dtype), '', '']
  if (args.style === 'push') {
    lines.push(
      'def summing_consumer():  # a coroutine: items are sent into it',
      '    val = 0',
      '    item_count = 0',
      '    while True:',
      '        item = yield val, item_count',
      '        if item is None:  # end of data',
      '            return val',
      addItem(mode, '        ', dtype),
      progress,
      "            print(f'{item_count} items processed from input')",
      '',
      '',
      'def process(*data_iterables):  # push style: send each item into the consumer',
      '    consumer = summing_consumer()',
      '    next(consumer)  # prime it: run to the first yield',
      '    for item in chain.from_iterable(data_iterables):',
      '        consumer.send(item)',
      '    try:',
      '        consumer.send(None)',
      '    except StopIteration as done:',
      '        return done.value'
    )
  } else {
    lines.push(
      'def process(*data_iterables):  # can pass multiple input generators...',
      '    val = 0',
      '    item_count = 0',
      '    for item in chain.from_iterable(data_iterables):  # ...and chain them together',
      addItem(mode, '        ', dtype),
      progress,
      "            print(f'{item_count} items processed from input')",
      '    return val'
    )
  }
  lines.push('', '', `total = process(${inputs})`, 'print(total)', '')
  return lines.join('\n')
}
