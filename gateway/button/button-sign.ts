/**
 * Checks the button order's sign against the app (constant time): BeeCloud's legacy md5 sign, or spay's v2 sign
 * (HMAC-SHA256 over named fields, sdk/sign.ts `buttonOrderSignV2`), which an app can require (`buttonSign:
 * 'v2_required'`, `npm run app -- set APP_ID --button-sign v2`). Issue 21 item 5.
 */
import { buttonOrderSign, buttonOrderSignV2, hexSignaturesEqual } from '../../sdk/sign.ts';
import { previousSecretsOf, type App } from '../apps/app.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { ButtonOrder } from './button-order.ts';

/** The app secret, then any previous one still within its rotation grace. */
function appSecretsAt(app: App, now: number): string[] {
  return [app.appSecret, ...previousSecretsOf(app, 'app', now)];
}

/** Whether `sign` matches `signWith(secret)` for one of the secrets (each compared, in constant time). */
function matchesAny(secrets: string[], signWith: (secret: string) => string, sign: string): boolean {
  let matched = false;
  for (const secret of secrets) if (hexSignaturesEqual(signWith(secret), sign)) matched = true;
  return matched;
}

export function verifyButtonSign(app: App, order: ButtonOrder, now: number = Date.now()): void {
  const secrets = appSecretsAt(app, now);
  if (order.signType === 'MD5') {
    if (app.buttonSign === 'v2_required') {
      throw new BeeCloudError(
        'APP_INVALID',
        'sign_type',
        'this app requires the v2 sign (sign_type "HMAC-SHA256", signButtonOrderV2 in the SDK); the legacy md5 sign is refused',
      );
    }
    const signWith = (secret: string) =>
      buttonOrderSign(app.appId, order.title, order.amount, order.outTradeNo, secret);
    if (!matchesAny(secrets, signWith, order.sign)) {
      throw new BeeCloudError(
        'APP_INVALID',
        'sign',
        'does not match md5(appId + title + amount + out_trade_no + appSecret)',
      );
    }
    return;
  }
  const signWithV2 = (secret: string) =>
    buttonOrderSignV2(
      {
        appId: app.appId,
        title: order.title,
        amount: order.amount,
        outTradeNo: order.outTradeNo,
        returnUrl: order.signedReturnUrl,
        optional: order.optional,
        billTimeout: order.billTimeoutSeconds,
        buyerId: order.buyerId,
      },
      secret,
    );
  if (!matchesAny(secrets, signWithV2, order.sign)) {
    throw new BeeCloudError(
      'APP_INVALID',
      'sign',
      'does not match HMAC-SHA256(appSecret, canonical JSON of amount, app_id, bill_timeout, [buyer_id,] optional, out_trade_no, return_url, sign_type, title)',
    );
  }
}
