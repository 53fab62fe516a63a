'use strict'
// Builds build/Release/yield_lab_native.node with a C compiler alone. The helper uses only Node-API,
// whose headers (and, for Windows, the .def files to make an import library from) come from the
// node-api-headers package: nothing is downloaded and neither python nor make is needed.
//
// The helper is optional, so this never fails the install: when it cannot build, it says why in one
// line and keeps the reason in build/status.json, which index.cjs reports when loading fails.
const { spawnSync } = require('node:child_process')
const { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } = require('node:fs')
const { join } = require('node:path')

const root = __dirname
const release = join(root, 'build', 'Release')
const output = join(release, 'yield_lab_native.node')
const statusFile = join(root, 'build', 'status.json')
const sources = [join(root, 'src', 'yield_lab_native.c')]
const cflags = ['-O2', '-Wall', '-Wextra', '-pthread']

/** Runs a command; returns undefined when it succeeded, else why not (one line). */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options })
  if (result.error?.code === 'ENOENT') return { missing: true, reason: `no C compiler found (tried ${command})` }
  if (result.error) return { reason: `${command} could not run: ${result.error.message}` }
  if (result.status !== 0) return { reason: `${command} failed with ${result.signal ?? `exit code ${result.status}`}` }
  return undefined
}

function buildPosix(headers) {
  const [compiler, ...compilerArgs] = (process.env.CC || 'cc').trim().split(/\s+/)
  const link = process.platform === 'darwin' ? ['-bundle', '-undefined', 'dynamic_lookup'] : ['-shared']
  return run(compiler, [
    ...compilerArgs,
    ...cflags,
    '-fPIC',
    '-fvisibility=hidden',
    '-I',
    headers.include_dir,
    ...sources,
    ...link,
    '-o',
    output
  ])
}

/** The Visual Studio setup script that puts cl.exe on PATH, found with vswhere (node-gyp looks the same way). */
function findVcvarsall() {
  const vswhere = join(
    process.env['ProgramFiles(x86)'] || 'C:\\Program Files (x86)',
    'Microsoft Visual Studio',
    'Installer',
    'vswhere.exe'
  )
  const found = spawnSync(
    vswhere,
    [
      '-latest',
      '-products',
      '*',
      '-requires',
      'Microsoft.VisualStudio.Component.VC.Tools.x86.x64',
      '-property',
      'installationPath'
    ],
    { encoding: 'utf8' }
  )
  const installation = found.status === 0 ? found.stdout.trim().split(/\r?\n/)[0] : ''
  const script = installation && join(installation, 'VC', 'Auxiliary', 'Build', 'vcvarsall.bat')
  return script && existsSync(script) ? script : undefined
}

function buildWindows(headers) {
  const machine = { x64: 'x64', ia32: 'x86', arm64: 'arm64' }[process.arch] ?? process.arch
  const importLib = join(release, 'node_api.lib')
  // The import library names node.exe; the delay-load hook binds it to whichever program loads the
  // helper (node.exe or Electron), as node-gyp's win_delay_load_hook does.
  const steps = [
    ['lib', '/nologo', `/def:${headers.def_paths.node_api_def}`, `/out:${importLib}`, `/machine:${machine}`],
    [
      'cl',
      '/nologo',
      '/O2',
      '/W3',
      `/I${headers.include_dir}`,
      ...sources,
      join(root, 'src', 'win_delay_load_hook.c'),
      `/Fo${release}\\`,
      '/LD',
      `/Fe${output}`,
      '/link',
      importLib,
      'delayimp.lib',
      '/DELAYLOAD:node.exe'
    ]
  ]
  if (spawnSync('where', ['cl'], { stdio: 'ignore' }).status === 0) {
    for (const [command, ...args] of steps) {
      const failure = run(command, args)
      if (failure) return failure
    }
    return undefined
  }
  const vcvarsall = findVcvarsall()
  if (!vcvarsall)
    return { missing: true, reason: 'no C compiler found (tried cl.exe on PATH and Visual Studio via vswhere)' }
  const quote = (arg) => (/[\s"]/.test(arg) ? `"${arg}"` : arg)
  const line = [`"${vcvarsall}" ${machine} >nul`, ...steps.map((step) => step.map(quote).join(' '))].join(' && ')
  return run('cmd.exe', ['/d', '/s', '/c', `"${line}"`], { windowsVerbatimArguments: true })
}

function build() {
  let headers
  try {
    headers = require('node-api-headers')
  } catch {
    return { reason: 'the node-api-headers package is missing (run npm install)' }
  }
  return process.platform === 'win32' ? buildWindows(headers) : buildPosix(headers)
}

rmSync(output, { force: true })
mkdirSync(release, { recursive: true })
const failure = build()
const status = failure
  ? { built: false, reason: failure.reason, compilerMissing: failure.missing === true }
  : { built: true }
writeFileSync(`${statusFile}.tmp`, JSON.stringify(status) + '\n')
renameSync(`${statusFile}.tmp`, statusFile)
if (failure) console.error(`Yield Lab native helper not built: ${failure.reason}; the app will use Node's fs (slower).`)
