/**
 * Checks the button order's sign against the app (constant time): BeeCloud's legacy md5 sign, or spay's v2 sign
 * (HMAC-SHA256 over named fields, sdk/sign.ts `buttonOrderSignV2`), which an app can require (`buttonSign:
 * 'v2_required'`, `npm run app -- set APP_ID --button-sign v2`). Issue 21 item 5.
 */
import { buttonOrderSign, buttonOrderSignV2, hexSignaturesEqual } from '../../sdk/sign.ts';
import type { App } from '../apps/app.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { ButtonOrder } from './button-order.ts';

export function verifyButtonSign(app: App, order: ButtonOrder): void {
  if (order.signType === 'MD5') {
    if (app.buttonSign === 'v2_required') {
      throw new BeeCloudError(
        'APP_INVALID',
        'sign_type',
        'this app requires the v2 sign (sign_type "HMAC-SHA256", signButtonOrderV2 in the SDK); the legacy md5 sign is refused',
      );
    }
    const expected = buttonOrderSign(app.appId, order.title, order.amount, order.outTradeNo, app.appSecret);
    if (!hexSignaturesEqual(expected, order.sign)) {
      throw new BeeCloudError(
        'APP_INVALID',
        'sign',
        'does not match md5(appId + title + amount + out_trade_no + appSecret)',
      );
    }
    return;
  }
  const expected = buttonOrderSignV2(
    {
      appId: app.appId,
      title: order.title,
      amount: order.amount,
      outTradeNo: order.outTradeNo,
      returnUrl: order.signedReturnUrl,
      optional: order.optional,
      billTimeout: order.billTimeoutSeconds,
    },
    app.appSecret,
  );
  if (!hexSignaturesEqual(expected, order.sign)) {
    throw new BeeCloudError(
      'APP_INVALID',
      'sign',
      'does not match HMAC-SHA256(appSecret, canonical JSON of amount, app_id, bill_timeout, optional, out_trade_no, return_url, sign_type, title)',
    );
  }
}
