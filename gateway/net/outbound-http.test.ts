/** The outbound client over real sockets: internal targets, names resolving to them, answer caps, deadlines. */
import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundHttpClient, OutboundHttpError } from './outbound-http.ts';
import { isInternalAddress, targetRefusal } from './target-policy.ts';

let server: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    hits += 1;
    request.resume();
    if (request.url === '/hang') return;
    if (request.url === '/big') return void response.end('y'.repeat(200_000));
    response.end('success');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A resolver standing for DNS: every name resolves to `address`. */
function resolvingTo(address: string) {
  return (
    _hostname: string,
    _options: unknown,
    callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
  ) => callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
}

async function refusal(client: OutboundHttpClient, url: string): Promise<OutboundHttpError> {
  const error = await client.send({ url, method: 'POST', headers: {}, body: '{}' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OutboundHttpError);
  return error as OutboundHttpError;
}

describe('target policy', () => {
  it('knows internal addresses in every spelling', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.31.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '64:ff9b::a9fe:a9fe',
      '224.0.0.1',
      '255.255.255.255',
    ]) {
      expect(isInternalAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(isInternalAddress(address), address).toBe(false);
    }
  });

  it('refuses internal URLs when they are set, naming why', () => {
    for (const url of [
      'http://127.0.0.1/x',
      'http://[::1]:8080/x',
      'http://0/x',
      'http://2130706433/x',
      'http://0x7f.1/x',
      'http://169.254.169.254/latest/meta-data/',
      'http://localhost:3000/webhook',
      'http://shop.localhost/webhook',
      'http://[::ffff:127.0.0.1]/x',
    ]) {
      expect(targetRefusal(url, false), url).toMatch(/must not point at/);
      expect(targetRefusal(url, true), url).toBeNull();
    }
    expect(targetRefusal('https://shop.example/hook', false)).toBeNull();
    expect(targetRefusal('https://user:pw@shop.example/hook', false)).toMatch(/user name/);
    expect(targetRefusal('ftp://shop.example/hook', false)).toMatch(/http/);
  });
});

describe('the outbound client', () => {
  it('refuses a name that resolves to loopback at connect time, and connects when allowed', async () => {
    const before = hits;
    const guarded = new OutboundHttpClient({
      allowPrivateTargets: false,
      dnsLookup: resolvingTo('127.0.0.1'),
    });
    const error = await refusal(guarded, `http://merchant.example:${port}/`);
    expect(error.code).toBe('REFUSED_TARGET');
    expect(error.message).toMatch(/resolves to an internal address \(127\.0\.0\.1\)/);
    expect(hits).toBe(before);
    guarded.close();

    const open = new OutboundHttpClient({ allowPrivateTargets: true, dnsLookup: resolvingTo('127.0.0.1') });
    const answer = await open.send({ url: `http://merchant.example:${port}/`, method: 'GET', headers: {} });
    expect(answer).toMatchObject({ status: 200, body: 'success', truncated: false });
    open.close();
  });

  it('refuses literal internal addresses without connecting', async () => {
    const before = hits;
    const client = new OutboundHttpClient({ allowPrivateTargets: false });
    for (const url of [`http://127.0.0.1:${port}/`, `http://2130706433:${port}/`, `http://[::1]:${port}/`]) {
      expect((await refusal(client, url)).code).toBe('REFUSED_TARGET');
    }
    expect(hits).toBe(before);
    client.close();
  });

  it('fails or truncates an answer over the cap, and gives up at the deadline', async () => {
    const client = new OutboundHttpClient({ allowPrivateTargets: true });
    const tooLarge = await client
      .send({ url: `http://127.0.0.1:${port}/big`, method: 'GET', headers: {}, maxAnswerBytes: 1000 })
      .catch((e: unknown) => e);
    expect(tooLarge).toMatchObject({ code: 'TOO_LARGE' });
    const truncated = await client.send({
      url: `http://127.0.0.1:${port}/big`,
      method: 'GET',
      headers: {},
      maxAnswerBytes: 1000,
      onLargeAnswer: 'truncate',
    });
    expect(truncated).toMatchObject({ status: 200, body: 'y'.repeat(1000), truncated: true });
    // An answer of exactly the cap is whole: neither refused nor marked cut (the body of /big is 200 000 bytes).
    for (const onLargeAnswer of ['fail', 'truncate'] as const) {
      const whole = await client.send({
        url: `http://127.0.0.1:${port}/big`,
        method: 'GET',
        headers: {},
        maxAnswerBytes: 200_000,
        onLargeAnswer,
      });
      expect(whole).toMatchObject({ status: 200, body: 'y'.repeat(200_000), truncated: false });
    }
    const startedAt = Date.now();
    const late = await client
      .send({ url: `http://127.0.0.1:${port}/hang`, method: 'GET', headers: {}, timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(late).toMatchObject({ code: 'TIMEOUT', message: 'no answer within 300 ms' });
    expect(Date.now() - startedAt).toBeLessThan(2000);
    client.close();
  });
});
