import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from './client.ts';

function recordingFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (url: string, init: RequestInit = {}) => {
    calls.push({ url, init });
    return new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { calls, fetch };
}

describe('ApiClient', () => {
  it('sends the CSRF token and JSON on changes, never on reads', async () => {
    const { calls, fetch } = recordingFetch(200, { ok: 1 });
    const client = new ApiClient({ fetch });
    client.setCsrfToken('tok');
    await client.get('/apps', { mode: 'test', cursor: undefined, billNo: '' });
    await client.put('/apps/a/button', { channels: ['ali'] });
    expect(calls[0].url).toBe('/console/api/apps?mode=test');
    expect((calls[0].init.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
    const headers = calls[1].init.headers as Record<string, string>;
    expect(headers['x-csrf-token']).toBe('tok');
    expect(headers['content-type']).toBe('application/json');
    expect(calls[1].init.body).toBe('{"channels":["ali"]}');
    expect(calls[1].init.method).toBe('PUT');
  });

  it('turns an error answer into an ApiError naming the field', async () => {
    const { fetch } = recordingFetch(400, {
      error: { code: 'invalid', message: 'must be at least 1', field: 'refundFee' },
    });
    const client = new ApiClient({ fetch });
    const error = await client.post('/x', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid',
      field: 'refundFee',
      message: 'must be at least 1',
    });
  });

  it('reports a lost session once signed in, not a failed sign-in', async () => {
    const { fetch } = recordingFetch(401, { error: { code: 'unauthenticated', message: 'no session' } });
    let lost = 0;
    const client = new ApiClient({ fetch, onUnauthenticated: () => lost++ });
    await client.post('/session', { name: 'a', password: 'b' }).catch(() => undefined);
    expect(lost).toBe(0);
    client.setCsrfToken('tok');
    await client.get('/apps').catch(() => undefined);
    expect(lost).toBe(1);
  });

  it('answers undefined for 204', async () => {
    const { fetch } = recordingFetch(204, null);
    expect(await new ApiClient({ fetch }).delete('/session')).toBeUndefined();
  });
});
