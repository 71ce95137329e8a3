/**
 * Every response body (and header) a run received, from Node's fetch and from Chromium pages, so it can be
 * scanned afterwards for secrets that must never leave the gateway or the merchant's server.
 */
import type { Page } from '@playwright/test';
import { observedResponses } from '../../lib/rest-requests.ts';

export class ResponseLog {
  readonly entries: { source: string; text: string }[] = [];

  /** fetch, recording the answer. */
  async fetch(url: string, init?: RequestInit): Promise<{ status: number; text: string; headers: Headers }> {
    const response = await fetch(url, init);
    const text = await response.text();
    this.record(`${init?.method ?? 'GET'} ${url}`, text, response.headers);
    return { status: response.status, text, headers: response.headers };
  }

  record(source: string, text: string, headers?: Headers | Record<string, string>): void {
    observedResponses.listener?.(source, text);
    const headerText =
      headers instanceof Headers
        ? [...headers].map(([name, value]) => `${name}: ${value}`).join('\n')
        : Object.entries(headers ?? {})
            .map(([name, value]) => `${name}: ${value}`)
            .join('\n');
    this.entries.push({ source, text: `${headerText}\n\n${text}` });
  }

  /** Records every response the page receives (bodies of redirects and aborted requests are skipped). */
  watch(page: Page): void {
    page.on('response', (response) => {
      void response
        .body()
        .then((body) => this.record(`browser ${response.url()}`, body.toString('utf8'), response.headers()))
        .catch(() => undefined);
    });
  }

  /** Entries containing any of the secrets (or, for whsec_ secrets, their key in base64). */
  leaks(secrets: string[]): { source: string; secret: string }[] {
    const needles = secrets.flatMap((secret) =>
      secret.startsWith('whsec_') ? [secret, secret.slice('whsec_'.length)] : [secret],
    );
    const found: { source: string; secret: string }[] = [];
    for (const entry of this.entries) {
      for (const needle of needles) {
        if (entry.text.includes(needle))
          found.push({ source: entry.source, secret: `${needle.slice(0, 6)}…` });
      }
    }
    return found;
  }
}
