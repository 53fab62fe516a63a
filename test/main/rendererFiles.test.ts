import { describe, expect, test } from 'vitest'
import { contentSecurityPolicy, resolveRendererFile } from '../../src/main/rendererFiles'

describe('content security policy', () => {
  const policy = contentSecurityPolicy({ dev: false })
  const directive = (name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `))

  test('allows only our own origin, and WebAssembly compilation for Python', () => {
    expect(directive('default-src')).toBe("default-src 'none'")
    expect(directive('script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'")
    expect(directive('style-src')).toBe("style-src 'self'")
    expect(directive('connect-src')).toBe("connect-src 'self'")
    expect(directive('object-src')).toBe("object-src 'none'")
    expect(policy).not.toMatch(/unsafe-inline|'unsafe-eval'|https?:|\*/)
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
