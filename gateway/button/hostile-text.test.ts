/**
 * Issue 21 items 8 and 10 (title): a return_url with CR/LF, U+2028 or other invisible characters used to be
 * accepted and made the cashier answer HTTP 500 (ERR_INVALID_CHAR in Location) after the bill was paid; a title
 * with bidi controls or zero-width characters was shown as is. Now: such return_urls and titles are refused naming
 * the field, a non-ASCII return_url is stored percent-encoded, and the redirect after payment never throws.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { rest } from '../rest/testing/rest-caller.ts';
import { afterPaymentUrl } from '../sandbox/sandbox-payment.ts';
import { createBill, postJson, pressSandboxButton, signedOrder } from '../testing/gateway-harness.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';

const harness = useGatewayWithReceiver();

describe('return_url', () => {
  it.each([
    ['CR LF (header injection)', 'https://shop.example/done\r\nSet-Cookie: a=b'],
    ['a line feed', 'https://shop.example/do\nne'],
    ['a tab', 'https://shop.example/do\tne'],
    ['U+2028', 'https://shop.example/done\u2028'],
    ['U+2029', 'https://shop.example/done\u2029'],
    ['a space', 'https://shop.example/my page'],
    ['a bidi override', 'https://shop.example/\u202Egpj.exe'],
    ['a zero-width space', 'https://shop\u200B.example/done'],
    ['a NUL', 'https://shop.example/\u0000'],
    ['a C1 control', 'https://shop.example/\u0085'],
  ])('refuses %s naming return_url (button and REST)', async (_name, returnUrl) => {
    const answer = await postJson(
      `${harness.gateway.url}/2/rest/jsbutton/ALI_WEB`,
      signedOrder(harness.gateway.app, { return_url: returnUrl }),
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ result_msg: 'PARAM_INVALID' });
    expect(answer.json.err_detail).toMatch(/^return_url: must not contain/);
    const viaRest = await rest(harness.gateway, {
      method: 'POST',
      path: 'rest/bill',
      payload: {
        channel: 'ALI_WEB',
        bill_no: `R${Date.now()}${Math.floor(Math.random() * 1e6)}`,
        total_fee: 1,
        title: 't',
        return_url: returnUrl,
      },
    });
    expect(viaRest.json).toMatchObject({ result_msg: 'PARAM_INVALID' });
    expect(viaRest.json.err_detail).toMatch(/^return_url: must not contain/);
  });

  it('stores a non-ASCII return_url percent-encoded and redirects there after payment (303, never 500)', async () => {
    const bill = await createBill(harness.gateway, 'ALI_WEB', {
      return_url: 'https://商店.example/支付/完成',
    });
    const paid = await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${bill.id}/pay`);
    expect(paid.status).toBe(303);
    expect(paid.location).toMatch(
      /^https:\/\/xn--[a-z0-9-]+\.example\/%E6%94%AF%E4%BB%98\/%E5%AE%8C%E6%88%90\?bill_no=/,
    );
  });

  it('falls back to the result page when a stored return_url cannot be a Location (data from before the fix)', async () => {
    const bill = await createBill(harness.gateway, 'ALI_WEB', { return_url: 'https://shop.example/ok' });
    // A row written before return_url was checked: changed behind the gateway's back, as old data would be.
    const sqlite = new Database(join(harness.gateway.dataDir, 'gateway.sqlite'));
    sqlite
      .prepare('UPDATE bills SET return_url = ? WHERE id = ?')
      .run('https://shop.example/\u2028\r\nX: y', bill.id);
    sqlite.close();
    const paid = await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${bill.id}/pay`);
    expect(paid.status).toBe(303);
    expect(paid.location).toBe(`${harness.gateway.url}/1/pay/jsbutton/result/${bill.id}`);
    const stored = await harness.gateway.ctx.core.payments.findBill(bill.id);
    expect(stored?.status).toBe('paid');
    expect(() =>
      afterPaymentUrl(harness.gateway.ctx, { ...stored!, returnUrl: 'https://a.example/\u00e9' }),
    ).not.toThrow();
  });
});

describe('title', () => {
  it.each([
    ['a right-to-left override U+202E', 'Book\u202Egnp.exe', 'U+202E'],
    ['a zero-width space', 'Bo\u200Bok', 'U+200B'],
    ['a zero-width joiner', 'Bo\u200Dok', 'U+200D'],
    ['a byte order mark', '\uFEFFBook', 'U+FEFF'],
    ['a Hangul filler', 'Book\u3164', 'U+3164'],
    ['a line separator', 'Book\u2028', 'U+2028'],
    ['an isolate U+2066', '\u2066Book', 'U+2066'],
    ['a C1 control', 'Book\u0085', 'U+0085'],
  ])('refuses %s naming title and the character (button and REST)', async (_name, title, code) => {
    const answer = await postJson(
      `${harness.gateway.url}/2/rest/jsbutton/ALI_WEB`,
      signedOrder(harness.gateway.app, { title }),
    );
    expect(answer.json).toMatchObject({ result_msg: 'PARAM_INVALID' });
    expect(answer.json.err_detail).toMatch(
      new RegExp(`^title: must not contain invisible .*${code.replace('+', '\\+')}`),
    );
    const viaRest = await rest(harness.gateway, {
      method: 'POST',
      path: 'rest/bill',
      payload: {
        channel: 'WX_NATIVE',
        bill_no: `T${Date.now()}${Math.floor(Math.random() * 1e6)}`,
        total_fee: 1,
        title,
      },
    });
    expect(viaRest.json.err_detail).toMatch(/^title: must not contain invisible/);
  });

  it('still accepts Chinese, emoji and ordinary punctuation', async () => {
    const bill = await createBill(harness.gateway, 'ALI_WEB', { title: '咖啡 ☕ (大杯)' });
    expect(bill.id).toBeTruthy();
  });
});
