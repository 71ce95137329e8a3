/** What the checkout needs from the browser, gathered so tests can watch navigation without leaving the page. */
import type { StatusStreamFactory } from '../hooks/watchBillStatus.ts';
import type { QrChunk } from '../qr-loader.ts';

export interface Platform {
  /** Leaves the merchant page for `url` (guide page, return_url). */
  navigate(url: string): void;
  /** Submits a hidden form to a redirect channel's cashier (rejects when the lazy chunk cannot load). */
  submitForm(url: string, method: string, param: Record<string, unknown>): void | Promise<void>;
  alert(text: string): void;
  /**
   * The lazily loaded chunk: the QR panel, the payer notices for every state but `network`, WeChat JSAPI and
   * return_url (qr/lazy.ts).
   */
  loadChunk(): Promise<QrChunk>;
  /** null: no server-sent events (polling only); undefined: the browser's EventSource. */
  openStream?: StatusStreamFactory | null;
  win: Window;
  now?: () => number;
  /** How long the paid state shows before going to return_url. */
  paidPauseMs?: number;
}
