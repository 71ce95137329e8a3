/**
 * The logger's own redaction: a real gateway logging to a stream; whatever a log call or a request carries, the
 * secrets and personal data in it never reach a line, and the rest stays readable.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rest } from '../rest/testing/rest-caller.ts';
import { createBill, startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { redactedValue, urlForLog } from './log-redaction.ts';

let gateway: TestGateway;
const lines: string[] = [];
const stream = new PassThrough();
let pending = '';
stream.on('data', (chunk: Buffer) => {
  pending += chunk.toString('utf8');
  const parts = pending.split('\n');
  pending = parts.pop() ?? '';
  lines.push(...parts.filter(Boolean));
});

beforeAll(async () => {
  gateway = await startTestGateway({ logger: true, logStream: stream });
});
afterAll(async () => {
  await gateway?.close();
});

const secrets = {
  openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  card: '6222021234567890123',
  idNo: '110101199003074258',
  appSecret: 'app-secret-that-must-not-leak',
  privateKey: '-----BEGIN PRIVATE KEY-----MIIEvQIBADAN',
  signature: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
};

function logged(): string {
  return lines.join('\n');
}

describe('log redaction', () => {
  it('redacts secrets and personal data in log fields at any of three depths, keeps the rest', () => {
    gateway.ctx.log.info(
      {
        billId: 'bill-keep-me',
        openid: secrets.openid,
        card_no: secrets.card,
        payer: { id_no: secrets.idNo, name_kept: 'visible' },
        app: {
          appSecret: secrets.appSecret,
          channelSettings: { ALI: { app_private_key: secrets.privateKey } },
        },
        detail: { webhook: { signature: secrets.signature } },
      },
      'redaction probe',
    );
    const line = lines.find((text) => text.includes('redaction probe'));
    expect(line).toBeDefined();
    const entry = JSON.parse(line!) as Record<string, any>;
    expect(entry.billId).toBe('bill-keep-me');
    expect(entry.openid).toBe(redactedValue);
    expect(entry.card_no).toBe(redactedValue);
    expect(entry.payer).toEqual({ id_no: redactedValue, name_kept: 'visible' });
    expect(entry.app).toEqual({ appSecret: redactedValue, channelSettings: redactedValue });
    expect(entry.detail.webhook.signature).toBe(redactedValue);
    for (const value of Object.values(secrets)) expect(line).not.toContain(value);
  });

  it('logs request URLs without their query values (a REST GET carries app_sign in para)', async () => {
    const answer = await rest(gateway, { method: 'GET', path: 'rest/bills', payload: { limit: 1 } });
    expect(answer.json.result_code).toBe(0);
    const request = lines
      .map((text) => JSON.parse(text) as { req?: { url?: string } })
      .find((entry) => entry.req?.url?.startsWith('/2/rest/bills?'));
    expect(request?.req?.url).toBe(`/2/rest/bills?para=${redactedValue}`);
    // The signed payload (app_id, timestamp, app_sign) appears nowhere, not even its field names.
    expect(logged()).not.toMatch(/app_sign/);
  });

  it('a payment with an openid leaves no trace of it in the logs', async () => {
    await createBill(gateway, 'WX_JSAPI', { openid: secrets.openid });
    expect(lines.some((text) => text.includes('"bill created"'))).toBe(true);
    expect(logged()).not.toContain(secrets.openid);
  });

  it('urlForLog keeps the path and the parameter names', () => {
    expect(urlForLog('/a/b')).toBe('/a/b');
    expect(urlForLog('/x?para=%7B%22app_sign%22%3A%22abc%22%7D&callback=cb')).toBe(
      `/x?para=${redactedValue}&callback=${redactedValue}`,
    );
  });
});
