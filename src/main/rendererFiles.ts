/**
 * Serving the built renderer: used by the app:// protocol in Electron and by the e2e test server,
 * so both deliver the same files with the same security headers.
 */
import { extname, resolve, sep } from 'node:path'

/** The strict Content-Security-Policy of the app. `dev` allows Vite's HMR socket and injected styles. */
export function contentSecurityPolicy({ dev }: { dev: boolean }): string {
  return [
    "default-src 'none'",
    // Pyodide compiles WebAssembly; nothing else may evaluate code.
    "script-src 'self' 'wasm-unsafe-eval'",
    dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    dev ? "connect-src 'self' ws://localhost:* ws://127.0.0.1:*" : "connect-src 'self'",
    "worker-src 'self' blob:",
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
 * Headers for a renderer file. Cross-origin isolation (COOP + COEP) gives the page
 * SharedArrayBuffer, which Pyodide's interrupt buffer needs.
 */
export function rendererHeaders(file: string): Record<string, string> {
  return {
    'Content-Type': mimeTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Security-Policy': contentSecurityPolicy({ dev: false }),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff'
  }
}
