/**
 * The nonce the page's CSP gives its own run-time style elements (the server writes a fresh one
 * into `<meta property="csp-nonce">` of each page). Browsers hide a nonce attribute from
 * getAttribute once it is applied, so it is read from the `nonce` property.
 */
export function styleNonce(root: ParentNode = document): string | undefined {
  const meta = root.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')
  const nonce = meta?.nonce || meta?.getAttribute('nonce') || ''
  return nonce === '' ? undefined : nonce
}
