/**
 * `POST /2/rest/sandbox/bill` answers `url` for every channel, as BeeCloud's Java SDK reads it in test mode
 * (`BCPay.placeSandboxOrder`): WX_NATIVE takes it as the QR code's text; the redirect channels (and ALI_QRCODE)
 * get a URL with a query string from which the SDK builds its own GET form (`BCUtil.generateSandboxHtmlWithUrl`:
 * split at `?`, then `&` and `=`, each value URL-decoded). The test does exactly that and follows the form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { newBillNo, rest } from './testing/rest-caller.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway({
    app: { channels: ['ali', 'aliqr', 'wxmp', 'wx', 'wxwap', 'un', 'unwap'] },
  });
});
afterAll(async () => {
  await gateway.close();
});

function sandboxBill(channel: string, extra: Record<string, unknown> = {}) {
  return rest(gateway, {
    method: 'POST',
    path: 'rest/sandbox/bill',
    payload: {
      channel,
      bill_no: newBillNo(),
      total_fee: 1,
      title: 'Java 测试',
      return_url: 'https://shop.example/r',
      ...extra,
    },
  });
}

/** What the Java SDK's generateSandboxHtmlWithUrl makes of a url: the form's action and its hidden fields. */
function javaSandboxForm(url: string): { action: string; fields: Array<[string, string]> } {
  const [action, query] = url.split('?');
  if (action === undefined || query === undefined) throw new Error(`no query string in ${url}`);
  const fields = query.split('&').map((pair): [string, string] => {
    const [name, value] = pair.split('=');
    if (name === undefined || value === undefined) throw new Error(`not name=value: ${pair}`);
    return [name, decodeURIComponent(value.replaceAll('+', ' '))];
  });
  return { action, fields };
}

describe('POST /2/rest/sandbox/bill answers url for the Java SDK', () => {
  it('WX_NATIVE: url is the QR code text (the same as code_url)', async () => {
    const answer = await sandboxBill('WX_NATIVE');
    expect(answer.json.result_code).toBe(0);
    expect(answer.json.url).toBe(`${gateway.url}/sandbox/wx/scan/${String(answer.json.id)}`);
    expect(answer.json.url).toBe(answer.json.code_url);
  });

  it.each([
    ['ALI_WEB', 'cashier'],
    ['ALI_WAP', 'cashier'],
    ['UN_WEB', 'cashier'],
    ['UN_WAP', 'cashier'],
    ['WX_WAP', 'cashier'],
    ['ALI_QRCODE', 'ali/scan'],
  ])(
    '%s: a url with a query string whose GET form opens the sandbox page of the bill',
    async (channel, page) => {
      const answer = await sandboxBill(channel);
      expect(answer.json.result_code, answer.text).toBe(0);
      const id = String(answer.json.id);
      const url = String(answer.json.url);
      expect(url).toContain('?');
      const form = javaSandboxForm(url);
      expect(form.action).toBe(`${gateway.url}/sandbox/${page}/${id}`);
      expect(form.fields).toEqual([['bill_id', id]]);
      // The browser submits the SDK's GET form: the action with the fields as its query.
      const submitted = `${form.action}?${new URLSearchParams(form.fields).toString()}`;
      const response = await fetch(submitted);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(`/sandbox/${page}/${id}/pay`);
    },
  );

  it('WX_JSAPI has no url (the Java SDK refuses JSAPI in test mode); POST /2/rest/bill keeps BeeCloud’s fields', async () => {
    const jsapi = await sandboxBill('WX_JSAPI', { openid: 'o_sandbox_java' });
    expect(jsapi.json.result_code).toBe(0);
    expect(jsapi.json.url).toBeUndefined();
    const live = await rest(gateway, {
      method: 'POST',
      path: 'rest/bill',
      payload: {
        channel: 'UN_WEB',
        bill_no: newBillNo(),
        total_fee: 1,
        title: 't',
        return_url: 'https://s.example/r',
      },
    });
    expect(live.json.url).toBeUndefined();
    expect(String(live.json.html)).toContain('/sandbox/cashier/');
  });

  it('refuses what it always refused, naming the field', async () => {
    const unknown = await sandboxBill('JD_WEB');
    expect(unknown.json).toMatchObject({ result_code: 3, result_msg: 'CHANNEL_INVALID' });
    expect(String(unknown.json.err_detail)).toMatch(/^channel: /);
    const appSecret = await rest(gateway, {
      method: 'POST',
      path: 'rest/sandbox/bill',
      secret: 'appSecret',
      payload: { channel: 'WX_NATIVE', bill_no: newBillNo(), total_fee: 1, title: 't' },
    });
    expect(appSecret.json).toMatchObject({ result_code: 1 });
    expect(String(appSecret.json.err_detail)).toMatch(/^app_sign: /);
  });
});
