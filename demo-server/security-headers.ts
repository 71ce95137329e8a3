/**
 * The demo's Content-Security-Policy: scripts only from the demo itself and the gateway (no inline script
 * anywhere), connections to both, nothing framed.
 */
export function contentSecurityPolicy(gatewayUrl: string): string {
  const gateway = new URL(gatewayUrl).origin;
  return [
    "default-src 'self'",
    `script-src 'self' ${gateway}`,
    `connect-src 'self' ${gateway}`,
    `img-src 'self' data: ${gateway}`,
    `style-src 'self' 'unsafe-inline' ${gateway}`,
    `font-src 'self' ${gateway}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
