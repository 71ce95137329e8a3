/**
 * A console API client for tests: real HTTP, the session cookie and CSRF token kept as a browser would, every part
 * overridable to build bad requests.
 */
import type { TestGateway } from '../../testing/gateway-harness.ts';
import { createOperator } from '../console-auth.ts';

export interface ConsoleAnswer {
  status: number;
  json: Record<string, any>;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  /** The x-csrf-token to send: default the session's; null sends none. */
  csrf?: string | null;
  /** Sends no cookie. */
  anonymous?: boolean;
  contentType?: string;
  rawBody?: string;
  headers?: Record<string, string>;
}

export class ConsoleClient {
  cookie: string | undefined;
  csrf: string | undefined;

  constructor(readonly url: string) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    options: CallOptions = {},
  ): Promise<ConsoleAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    if (!options.anonymous && this.cookie) headers.cookie = this.cookie;
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== null && csrf !== undefined && method !== 'GET') headers['x-csrf-token'] = csrf;
    let payload: string | undefined;
    if (options.rawBody !== undefined || body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      payload = options.rawBody ?? JSON.stringify(body);
    }
    const response = await fetch(`${this.url}/console/api${path}`, { method, headers, body: payload });
    const text = await response.text();
    let json: Record<string, any> = {};
    try {
      json = JSON.parse(text) as Record<string, any>;
    } catch {
      // left empty: CSV and 204 answers
    }
    const setCookie = response.headers.get('set-cookie');
    if (setCookie?.startsWith('spay_console=')) {
      const value = setCookie.split(';')[0]!;
      this.cookie = value === 'spay_console=' ? undefined : value;
    }
    return { status: response.status, json, text, headers: response.headers };
  }

  async signIn(name: string, password: string, headers: Record<string, string> = {}): Promise<ConsoleAnswer> {
    const answer = await this.call('POST', '/session', { name, password }, { headers });
    if (answer.status === 200) this.csrf = String(answer.json.csrfToken);
    return answer;
  }
}

let operators = 0;
/** A new operator on the gateway and a client signed in as it. */
export async function signedInClient(gateway: Pick<TestGateway, 'url' | 'ctx'>): Promise<ConsoleClient> {
  operators += 1;
  const name = `op${operators}-${Date.now()}`;
  const password = 'correct horse battery staple';
  await createOperator(gateway.ctx.store, name, password);
  const client = new ConsoleClient(gateway.url);
  const answer = await client.signIn(name, password);
  if (answer.status !== 200) throw new Error(`sign-in failed: ${answer.text}`);
  return client;
}
