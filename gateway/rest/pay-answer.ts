/**
 * What `POST /2/rest/bill` answers, by channel (reference §4): WX_NATIVE, ALI_QRCODE → code_url; WX_JSAPI → app_id, package,
 * nonce_str, timestamp, pay_sign, sign_type; ALI_WEB / ALI_WAP → html and url; UN_WEB / UN_WAP → html;
 * WX_WAP → url. `html` is a self-submitting form the merchant writes into the payer's page, as BeeCloud's was.
 * `POST /2/rest/sandbox/bill` also answers `url` for every channel but WX_JSAPI (`sandboxUrl`), which is what
 * BeeCloud's Java SDK reads in test mode.
 */
import type { PayChannelFields } from '../../sdk/rest-types.ts';
import type { ButtonChannel } from '../channels/channels.ts';
import type { PaymentStart } from '../channels/channel.ts';
import { html } from '../pages/html.ts';

/** The redirect as one URL (GET parameters appended), for the channels that answer `url`. */
export function redirectUrl(start: Extract<PaymentStart, { action: 'redirect' }>): string {
  const entries = Object.entries(start.param);
  if (start.method === 'POST' || entries.length === 0) return start.url;
  const url = new URL(start.url);
  for (const [name, value] of entries) url.searchParams.set(name, value);
  return url.toString();
}

/** A form that submits itself to the channel's cashier with the channel's parameters as hidden fields. */
export function autoSubmitForm(start: Extract<PaymentStart, { action: 'redirect' }>): string {
  const inputs = Object.entries(start.param).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
  );
  return html`<form id="spaysubmit" name="spaysubmit" action="${start.url}" method="${start.method}">
      ${inputs}<noscript><input type="submit" value="支付" /></noscript>
    </form>
    <script>
      document.forms['spaysubmit'].submit();
    </script>`.value;
}

export function payChannelFields(channel: ButtonChannel, start: PaymentStart): PayChannelFields {
  switch (start.action) {
    case 'qr':
      return { code_url: start.codeUrl };
    case 'jsapi':
      return {
        app_id: start.params.appId,
        package: start.params.package,
        nonce_str: start.params.nonceStr,
        timestamp: start.params.timeStamp,
        pay_sign: start.params.paySign,
        sign_type: start.params.signType,
      };
    case 'redirect':
      if (channel === 'WX_WAP') return { url: redirectUrl(start) };
      if (channel === 'UN_WEB' || channel === 'UN_WAP') return { html: autoSubmitForm(start) };
      return { html: autoSubmitForm(start), url: redirectUrl(start) };
  }
}

/**
 * The `url` of a sandbox answer, as BeeCloud's Java SDK reads it in test mode (`placeSandboxOrder`): for WX_NATIVE
 * the QR code's text itself; for every other channel a sandbox page URL that carries a query string, because the
 * SDK builds its own GET form from it by splitting the URL at `?`, `&` and `=` (and URL-decoding each value).
 * The sandbox pages read the bill from their path; `bill_id` in the query names it again for that form.
 * WX_JSAPI has none (the Java SDK refuses JSAPI in test mode).
 */
export function sandboxUrl(channel: ButtonChannel, billId: string, start: PaymentStart): string | undefined {
  if (start.action === 'jsapi') return undefined;
  if (start.action === 'qr' && channel === 'WX_NATIVE') return start.codeUrl;
  const url = new URL(start.action === 'qr' ? start.codeUrl : redirectUrl(start));
  if (url.search === '') url.searchParams.set('bill_id', billId);
  return url.toString();
}
