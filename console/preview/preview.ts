/**
 * The button preview (preview.html, framed by the console's button page): the real widget (the gateway's
 * /1/pay/jsbutton/assets/spay.js) with the channels being edited, opened with a sample order so the menu shows as
 * a payer sees it. Phones and WeChat are imitated by the user agent the widget reads. Nothing is paid here: the
 * sample order's sign is not valid, so confirming goes nowhere.
 */
import { previewUserAgents, readPreviewConfig } from './preview-config.ts';
import './preview.css';

const config = readPreviewConfig(location.search);
const userAgent = previewUserAgents[config.environment];
if (userAgent) Object.defineProperty(navigator, 'userAgent', { get: () => userAgent });
document.documentElement.dataset.environment = config.environment;

// The frame reloads whenever the operator changes the menu; the widget then focuses its dialog, which would take
// the focus away from the console (a channel just moved with Alt+↑ would lose it). The widget may focus only once
// the operator is in the frame.
const focus = HTMLElement.prototype.focus;
HTMLElement.prototype.focus = function focusWhenInFrame(this: HTMLElement, options?: FocusOptions) {
  if (document.hasFocus()) focus.call(this, options);
};

const status = document.getElementById('preview-status')!;
(window as unknown as { BCConfig: unknown }).BCConfig = {
  appId: config.appId,
  channels: config.channels,
  urls: [location.origin],
  mode: 'test',
};

document.addEventListener('beecloud:onready', () => {
  const bc = (window as unknown as { BC: { click(data: unknown, events: unknown): void } }).BC;
  bc.click(
    { title: '秒支付 preview', amount: 1, out_trade_no: 'preview00000001', sign: '0'.repeat(32) },
    {
      dataError: (error: { err_detail?: string; msg?: string }) =>
        (status.textContent = error.err_detail ?? error.msg ?? ''),
    },
  );
});

const script = document.createElement('script');
script.src = '/1/pay/jsbutton/assets/spay.js';
script.onerror = () => (status.textContent = 'The widget is not built on this gateway (npm run build).');
document.head.appendChild(script);
