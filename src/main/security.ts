import type { Session, WebContents } from 'electron'

/**
 * No navigation away from the app, no new windows, no webviews: the renderer only ever shows
 * our own page. Applied to every WebContents as it is created.
 */
export function hardenWebContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/** The app asks for no permission (camera, notifications, …), so every request is refused. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/** Is this URL our own renderer (the app:// origin, or the dev server while developing)? */
export function appUrlMatcher(appOrigin: string): (url: string) => boolean {
  return (url) => {
    try {
      // Not URL.origin: Node reports "null" as the origin of custom schemes such as app://.
      const parsed = new URL(url)
      return `${parsed.protocol}//${parsed.host}` === appOrigin
    } catch {
      return false
    }
  }
}
