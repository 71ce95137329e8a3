/**
 * Puts the checkout in its own Shadow DOM root: the host page's CSS cannot reach in, ours cannot leak out.
 * Styles are a constructable stylesheet (adoptedStyleSheets), which a strict CSP without 'unsafe-inline' allows.
 */
import css from './styles.css?inline';
import { adoptStyles } from './adopt-styles.ts';
import { Checkout, type CheckoutProps } from './Checkout.ts';

export const HOST_TAG = 'spay-checkout';

export interface MountedCheckout {
  host: HTMLElement;
  shadow: ShadowRoot;
  unmount(): void;
}

export function mountCheckout(
  props: Omit<CheckoutProps, 'onClose'>,
  onClose: () => void,
  doc: Document = document,
): MountedCheckout {
  const returnFocusTo = doc.activeElement instanceof HTMLElement ? doc.activeElement : null;
  const host = doc.createElement(HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  adoptStyles(shadow, css);
  (doc.body ?? doc.documentElement).appendChild(host);

  let mounted = true;
  const unmount = () => {
    if (!mounted) return;
    mounted = false;
    checkout.destroy();
    host.remove();
    if (returnFocusTo && returnFocusTo.isConnected) returnFocusTo.focus();
  };
  const checkout = new Checkout({ ...props, onClose }, shadow);
  return { host, shadow, unmount };
}
