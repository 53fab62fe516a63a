import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  contentSecurityPolicy,
  readRendererFile,
  rendererResponse,
  resolveRendererFile,
  STYLE_NONCE_PLACEHOLDER
} from '../../src/main/rendererFiles'

describe('content security policy', () => {
  const policy = contentSecurityPolicy({ dev: false })
  const directive = (name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `))

  test('allows only our own origin, and WebAssembly compilation for Python', () => {
    expect(directive('default-src')).toBe("default-src 'none'")
    expect(directive('script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'")
    expect(directive('style-src')).toBe("style-src 'self'")
    expect(directive('connect-src')).toBe("connect-src 'self'")
    expect(directive('object-src')).toBe("object-src 'none'")
    // The Python worker is our own file; no page may be given another base or post a form.
    expect(directive('worker-src')).toBe("worker-src 'self'")
    expect(directive('base-uri')).toBe("base-uri 'none'")
    expect(directive('form-action')).toBe("form-action 'none'")
    expect(policy).not.toMatch(/unsafe-inline|'unsafe-eval'|https?:|\*/)
  })

  test('a style nonce lets in only styles carrying it, never inline ones at large', () => {
    const withNonce = contentSecurityPolicy({ dev: false, styleNonce: 'abc123' })
    expect(withNonce).toContain("style-src 'self' 'nonce-abc123'")
    expect(withNonce).not.toContain('unsafe-inline')
  })

  test('development adds only what Vite’s HMR needs', () => {
    const dev = contentSecurityPolicy({ dev: true })
    expect(dev).toContain("style-src 'self' 'unsafe-inline'")
    expect(dev).toContain('ws://localhost:*')
    expect(dev).not.toContain("'unsafe-eval'")
  })
})

describe('resolveRendererFile', () => {
  test('maps URL paths into the root and refuses escapes', () => {
    expect(resolveRendererFile('/r', '/')).toBe('/r/index.html')
    expect(resolveRendererFile('/r', '/assets/a.js?v=1')).toBe('/r/assets/a.js')
    expect(resolveRendererFile('/r', '/a%20b.js')).toBe('/r/a b.js')
    for (const bad of ['/../etc/passwd', '/%2e%2e/etc/passwd', '/assets/../../x', '/%E0%A4%A']) {
      expect(resolveRendererFile('/r', bad), bad).toBeNull()
    }
  })
})

describe('readRendererFile', () => {
  test('serves only regular files whose real path is inside the root', async () => {
    const base = mkdtempSync(join(tmpdir(), 'yield-lab-serve-'))
    try {
      const root = join(base, 'renderer')
      mkdirSync(join(root, 'assets'), { recursive: true })
      writeFileSync(join(root, 'index.html'), '<!doctype html>')
      writeFileSync(join(root, 'assets', 'app.js'), 'app')
      writeFileSync(join(base, 'secret.txt'), 'secret')
      mkdirSync(join(base, 'outside'))
      writeFileSync(join(base, 'outside', 'x.js'), 'outside')
      symlinkSync(join(base, 'secret.txt'), join(root, 'leak.txt'))
      symlinkSync(join(base, 'outside'), join(root, 'linked'))
      symlinkSync(join(root, 'assets', 'app.js'), join(root, 'alias.js'))
      execFileSync('mkfifo', [join(root, 'pipe.js')])

      expect(await readRendererFile(root, '/')).toEqual({
        file: join(root, 'index.html'),
        content: Buffer.from('<!doctype html>')
      })
      expect((await readRendererFile(root, '/assets/app.js'))?.content.toString()).toBe('app')
      // A link that stays inside is fine; one that leads out is not found, nor are folders and devices.
      expect((await readRendererFile(root, '/alias.js'))?.content.toString()).toBe('app')
      for (const path of ['/leak.txt', '/linked/x.js', '/assets', '/pipe.js', '/missing.js', '/../secret.txt']) {
        expect(await readRendererFile(root, path), path).toBeNull()
      }
      // A root reached through a link is judged by its real path too.
      symlinkSync(root, join(base, 'root-link'))
      expect((await readRendererFile(join(base, 'root-link'), '/assets/app.js'))?.content.toString()).toBe('app')
      expect(await readRendererFile(join(base, 'root-link'), '/leak.txt')).toBeNull()
    } finally {
      rmSync(base, { recursive: true, force: true })
    }
  })
})

describe('rendererResponse', () => {
  test('gives each page a fresh style nonce, in its CSP header and in place of the placeholder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'yield-lab-nonce-'))
    try {
      writeFileSync(
        join(root, 'index.html'),
        `<meta http-equiv="Content-Security-Policy" content="style-src 'self' 'nonce-${STYLE_NONCE_PLACEHOLDER}'"><meta property="csp-nonce" nonce="${STYLE_NONCE_PLACEHOLDER}">`
      )
      writeFileSync(join(root, 'app.js'), `"${STYLE_NONCE_PLACEHOLDER}"`)
      const first = await rendererResponse(root, '/index.html')
      const second = await rendererResponse(root, '/')
      const nonceOf = (page: string) => /nonce="([^"]+)"/.exec(page)?.[1]
      const nonce = nonceOf(first!.content.toString())!
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/)
      expect(first!.content.toString()).not.toContain(STYLE_NONCE_PLACEHOLDER)
      expect(first!.content.toString()).toContain(`'nonce-${nonce}'`)
      expect(first!.headers['Content-Security-Policy']).toContain(`style-src 'self' 'nonce-${nonce}'`)
      expect(first!.headers).toMatchObject({
        'Content-Type': 'text/html; charset=utf-8',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cross-Origin-Resource-Policy': 'same-origin',
        'X-Content-Type-Options': 'nosniff'
      })
      expect(nonceOf(second!.content.toString())).not.toBe(nonce)
      // Other files are served as they are, under the nonce-less policy.
      const script = await rendererResponse(root, '/app.js')
      expect(script!.content.toString()).toBe(`"${STYLE_NONCE_PLACEHOLDER}"`)
      expect(script!.headers['Content-Security-Policy']).toContain("style-src 'self';")
      expect(await rendererResponse(root, '/missing.html')).toBeNull()
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
