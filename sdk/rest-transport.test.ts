import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpayApp } from './app.ts';
import { SpayClient } from './client.ts';
import { SpayError } from './result.ts';
import { restAppSign } from './sign.ts';

// A small local HTTP server stands in for a misbehaving or unreachable gateway: these tests are about the
// transport (timeouts, broken answers, what is sent), not the gateway's answers (see client.test.ts).
interface Received {
  method: string;
  url: string;
  body: string;
}

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function gatewayThat(
  answer: (received: Received, respond: (status: number, body: string) => void) => void,
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const entry = { method: request.method ?? '', url: request.url ?? '', body };
      received.push(entry);
      answer(entry, (status, text) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(text),
      );
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received };
}

function appAt(gatewayUrl: string, testMode = false): SpayApp {
  return {
    appId: 'app-id',
    appSecret: 'app-secret',
    masterSecret: 'master-secret',
    testSecret: 'test-secret',
    testMode,
    gatewayUrl,
  };
}

describe('what the client sends', () => {
  it('posts JSON with app_id, timestamp and app_sign over the app secret', async () => {
    const gateway = await gatewayThat((_r, respond) =>
      respond(200, '{"result_code":0,"result_msg":"OK","err_detail":"","id":"b1"}'),
    );
    const client = new SpayClient(appAt(gateway.url), { now: () => 1700000000000 });
    const result = await client.pay({
      channel: 'ALI_WEB',
      total_fee: 1,
      bill_no: 'bill0001',
      title: 'product',
      return_url: 'http://shop.example/r',
    });
    expect(result).toMatchObject({ ok: true, result_code: 0, id: 'b1' });
    const [request] = gateway.received;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/2/rest/bill');
    expect(JSON.parse(request.body)).toEqual({
      channel: 'ALI_WEB',
      total_fee: 1,
      bill_no: 'bill0001',
      title: 'product',
      return_url: 'http://shop.example/r',
      app_id: 'app-id',
      timestamp: 1700000000000,
      app_sign: '34a5b0969c428da17b0f16cf20b12061',
    });
  });

  it('signs refunds with the master secret and queries with ?para= URL-encoded JSON', async () => {
    const gateway = await gatewayThat((_r, respond) =>
      respond(200, '{"result_code":0,"result_msg":"OK","err_detail":"","count":3}'),
    );
    const client = new SpayClient(appAt(gateway.url, true), { now: () => 1700000000000 });
    await client.refund({ refund_no: '20261123abc', bill_no: 'bill0001', refund_fee: 1 });
    const count = await client.billsCount({ channel: 'ALI', spay_result: true });
    expect(count).toMatchObject({ ok: true, count: 3 });

    const refundBody = JSON.parse(gateway.received[0].body);
    expect(refundBody.app_sign).toBe(restAppSign('app-id', 1700000000000, 'master-secret'));
    const query = new URL(gateway.received[1].url, 'http://x');
    expect(query.pathname).toBe('/2/rest/bills/count');
    expect(JSON.parse(query.searchParams.get('para')!)).toEqual({
      channel: 'ALI',
      spay_result: true,
      app_id: 'app-id',
      timestamp: 1700000000000,
      app_sign: restAppSign('app-id', 1700000000000, 'test-secret'),
    });
  });

  it('approves pre-refunds with PUT and reaches the sandbox paths with the test secret', async () => {
    const gateway = await gatewayThat((_r, respond) =>
      respond(200, '{"result_code":0,"result_msg":"OK","err_detail":""}'),
    );
    const client = new SpayClient(appAt(gateway.url), { now: () => 1700000000000 });
    await client.approveRefunds({ channel: 'ALI', ids: ['r1'], agree: true });
    await client.sandbox.notify('bill/id');
    expect(gateway.received[0].method).toBe('PUT');
    expect(gateway.received[0].url).toBe('/2/rest/refund');
    const notify = new URL(gateway.received[1].url, 'http://x');
    expect(notify.pathname).toBe('/2/rest/sandbox/notify/app-id/bill%2Fid');
    expect(JSON.parse(notify.searchParams.get('para')!).app_sign).toBe(
      restAppSign('app-id', 1700000000000, 'test-secret'),
    );
  });
});

describe('failures become results', () => {
  it('turns an unreachable gateway into NETWORK_ERROR', async () => {
    const gateway = await gatewayThat((_r, respond) => respond(200, '{}'));
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const result = await new SpayClient(appAt(gateway.url)).billById('b1');
    expect(result).toMatchObject({ ok: false, result_code: 15, result_msg: 'NETWORK_ERROR' });
    expect(result.err_detail).toMatch(/^GET \/2\/rest\/bill\/b1 failed/);
  });

  it('gives up after the timeout with NETWORK_ERROR', async () => {
    const gateway = await gatewayThat(() => undefined);
    const result = await new SpayClient(appAt(gateway.url), { timeoutMs: 200 }).bills();
    expect(result).toMatchObject({
      ok: false,
      result_code: 15,
      err_detail: 'no answer from GET /2/rest/bills within 200 ms',
    });
  });

  it('reports an answer that is not JSON', async () => {
    const gateway = await gatewayThat((_r, respond) => respond(502, '<html>Bad Gateway</html>'));
    const result = await new SpayClient(appAt(gateway.url)).refunds();
    expect(result).toMatchObject({ ok: false, result_code: 15, http_status: 502 });
    expect(result.err_detail).toBe('GET /2/rest/refunds answered HTTP 502 without JSON');
  });

  it("passes the gateway's refusal through with its code and detail", async () => {
    const gateway = await gatewayThat((_r, respond) =>
      respond(
        200,
        '{"result_code":12,"result_msg":"REFUND_AMOUNT_TOO_LARGE","err_detail":"refund_fee: too large"}',
      ),
    );
    const result = await new SpayClient(appAt(gateway.url)).refund({
      refund_no: '20261123abc',
      bill_no: 'bill0001',
      refund_fee: 5,
    });
    expect(result).toEqual({
      ok: false,
      result_code: 12,
      result_msg: 'REFUND_AMOUNT_TOO_LARGE',
      err_detail: 'refund_fee: too large',
      http_status: 200,
    });
  });

  it('throws a SpayError from the throwing variant', async () => {
    const gateway = await gatewayThat((_r, respond) =>
      respond(200, '{"result_code":8,"result_msg":"NO_SUCH_BILL","err_detail":"id: no such bill"}'),
    );
    const client = new SpayClient(appAt(gateway.url));
    const error = await client.orThrow.billById('missing').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SpayError);
    expect(error).toMatchObject({ resultCode: 8, resultMsg: 'NO_SUCH_BILL', errDetail: 'id: no such bill' });
    expect((error as Error).message).toBe('NO_SUCH_BILL (8): id: no such bill');
  });

  it('resolves the throwing variant with the success', async () => {
    const gateway = await gatewayThat((_r, respond) =>
      respond(200, '{"result_code":0,"result_msg":"OK","err_detail":"","count":2}'),
    );
    const answer = await new SpayClient(appAt(gateway.url)).orThrow.refundsCount();
    expect(answer.count).toBe(2);
  });
});
