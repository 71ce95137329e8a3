/**
 * What the lazily loaded chunk (dist/widget/spay-qr.js, widget/qr/chunk.ts) offers the first script: everything
 * not needed before the payer picks a channel. The QR panel (its countdown, bill status watcher and encoder), the
 * payer notices for rare states, WeChat JSAPI, the return_url of a paid QR bill and the redirect
 * channels' hidden form.
 */
import { QrPanel } from '../components/QrPanel/index.ts';
import { payWithJsapi } from '../jsapi.ts';
import { payerNotice } from '../notice-texts.ts';
import { submitRedirect } from '../redirect.ts';
import type { NoticeFinder } from '../notices.ts';
import { returnUrlWithResult } from '../return-url.ts';

export interface QrChunk {
  QrPanel: typeof QrPanel;
  notices: NoticeFinder;
  jsapi: typeof payWithJsapi;
  returnUrl: typeof returnUrlWithResult;
  submit: typeof submitRedirect;
}

export const qrChunk: QrChunk = {
  QrPanel,
  notices: payerNotice,
  jsapi: payWithJsapi,
  returnUrl: returnUrlWithResult,
  submit: submitRedirect,
};
