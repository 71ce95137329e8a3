/**
 * The gateway's outbound HTTP for channel adapters (`OutboundHttp`): one request, no redirects followed, a
 * timeout (10 s unless the adapter says otherwise). Channel API URLs come from the operator's settings.
 */
import type { OutboundHttp } from './channel.ts';

export const fetchOutboundHttp: OutboundHttp = async (request) => {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(request.timeoutMs ?? 10_000),
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: response.status, headers, body: await response.text() };
};
