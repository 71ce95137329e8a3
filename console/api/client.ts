/**
 * The console API's transport: JSON over fetch, same origin, the session cookie sent by the browser, and the
 * session's CSRF token on every change (header `x-csrf-token`, docs/console-api.md). An answer other than 2xx
 * becomes an ApiError carrying the server's code, message and the field at fault.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  base?: string;
  fetch?: Fetch;
  /** Called on every 401 of a request made with a session (the console shows the sign-in page). */
  onUnauthenticated?: () => void;
}

export class ApiClient {
  private csrfToken: string | undefined;
  private readonly base: string;
  private readonly fetch: Fetch;

  constructor(private readonly options: ApiClientOptions = {}) {
    this.base = options.base ?? '/console/api';
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  setCsrfToken(token: string | undefined): void {
    this.csrfToken = token;
  }

  /** The URL of a GET (links such as the CSV export). */
  url(path: string, query: Record<string, string | number | boolean | undefined> = {}): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') search.set(name, String(value));
    }
    const text = search.toString();
    return `${this.base}${path}${text ? `?${text}` : ''}`;
  }

  get<T>(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<T> {
    return this.send<T>('GET', this.url(path, query));
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.send<T>('POST', this.url(path), body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PUT', this.url(path), body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PATCH', this.url(path), body);
  }

  delete<T>(path: string): Promise<T> {
    return this.send<T>('DELETE', this.url(path));
  }

  private async send<T>(method: string, url: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') {
      headers['content-type'] = 'application/json';
      if (this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    }
    const response = await this.fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
    if (response.status === 204) return undefined as T;
    const answer = (await response.json().catch(() => undefined)) as
      { error?: { code?: string; message?: string; field?: string; retryAfterMs?: number } } | undefined;
    if (!response.ok) {
      const error = answer?.error;
      if (response.status === 401 && this.csrfToken) this.options.onUnauthenticated?.();
      throw new ApiError(
        response.status,
        error?.code ?? 'http_' + response.status,
        error?.message ?? response.statusText,
        error?.field,
        error?.retryAfterMs,
      );
    }
    return answer as T;
  }
}
