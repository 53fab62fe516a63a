import type { Protocol } from 'electron'
import { rendererResponse } from './rendererFiles'

const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://yield-lab`

/** Must run before the app is ready: app:// behaves like a secure, standard web origin. */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }
  ])
}

/** Serves the built renderer from `root` under app://yield-lab/, with the CSP (a fresh style nonce per page) and isolation headers. */
export function serveRenderer(protocol: Protocol, root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const found = url.host === 'yield-lab' ? await rendererResponse(root, url.pathname) : null
    if (found === null) return new Response('Not found', { status: 404 })
    return new Response(found.content, { headers: found.headers })
  })
}
