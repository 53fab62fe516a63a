/**
 * Serving the built renderer: used by the app:// protocol in Electron and by the e2e test server,
 * so both deliver the same files with the same security headers.
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { open, realpath } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'

/**
 * Stands in the built index.html for the page's style nonce (its CSP meta tag and the
 * `<meta property="csp-nonce">` the renderer reads); each response of the page gets a fresh one.
 */
export const STYLE_NONCE_PLACEHOLDER = 'yield-lab-style-nonce'

/**
 * The strict Content-Security-Policy of the app. `dev` allows Vite's HMR socket and injected styles.
 * `styleNonce` lets the page's own run-time style elements in (the Step tab's editor), and no others.
 */
export function contentSecurityPolicy({ dev, styleNonce }: { dev: boolean; styleNonce?: string }): string {
  return [
    "default-src 'none'",
    // Pyodide compiles WebAssembly; nothing else may evaluate code.
    "script-src 'self' 'wasm-unsafe-eval'",
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self'${styleNonce ? ` 'nonce-${styleNonce}'` : ''}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    dev ? "connect-src 'self' ws://localhost:* ws://127.0.0.1:*" : "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'"
  ].join('; ')
}

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.whl': 'application/zip',
  '.tar': 'application/x-tar',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.py': 'text/plain; charset=utf-8'
}

/** The file under `root` a URL path names, or null when it would escape the root. */
export function resolveRendererFile(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath.split(/[?#]/)[0] ?? '/')
  } catch {
    return null
  }
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  const absoluteRoot = resolve(root)
  const file = resolve(absoluteRoot, relative)
  return file.startsWith(absoluteRoot + sep) ? file : null
}

/**
 * The content of the renderer file a URL path names, or null: only a regular file whose real
 * path (links resolved) lies inside the root's real path is served, never a link leading out of
 * the folder, a directory or a device. It is checked on the open descriptor, so it cannot be
 * swapped between the check and the read.
 */
export async function readRendererFile(
  root: string,
  urlPath: string
): Promise<{ file: string; content: Buffer<ArrayBuffer> } | null> {
  const file = resolveRendererFile(root, urlPath)
  if (file === null) return null
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)])
    if (!realFile.startsWith(realRoot + sep)) return null
    // Non-blocking: opening a FIFO must not wait for a writer (it is refused just below).
    const handle = await open(realFile, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
    try {
      if (!(await handle.stat()).isFile()) return null
      // fs reads into a plain ArrayBuffer (never a shared one), which Response accepts.
      return { file, content: (await handle.readFile()) as Buffer<ArrayBuffer> }
    } finally {
      await handle.close()
    }
  } catch {
    return null
  }
}

/**
 * Headers for a renderer file. Cross-origin isolation (COOP + COEP) gives the page
 * SharedArrayBuffer, which Pyodide's interrupt buffer needs.
 */
export function rendererHeaders(file: string, styleNonce?: string): Record<string, string> {
  return {
    'Content-Type': mimeTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Security-Policy': contentSecurityPolicy({ dev: false, styleNonce }),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff'
  }
}

/**
 * A renderer file as served, by the app:// handler and the e2e server alike: an HTML page gets a
 * fresh style nonce, written into it in place of the placeholder and into its CSP header.
 */
export async function rendererResponse(
  root: string,
  urlPath: string
): Promise<{ content: Buffer<ArrayBuffer>; headers: Record<string, string> } | null> {
  const found = await readRendererFile(root, urlPath)
  if (found === null) return null
  if (extname(found.file).toLowerCase() !== '.html')
    return { content: found.content, headers: rendererHeaders(found.file) }
  const nonce = randomBytes(18).toString('base64')
  const page = found.content.toString('utf8').replaceAll(STYLE_NONCE_PLACEHOLDER, nonce)
  return { content: Buffer.from(page, 'utf8') as Buffer<ArrayBuffer>, headers: rendererHeaders(found.file, nonce) }
}
