/** Shows the payer's dialog (ui/Checkout.ts) in the test document's body, where screen queries see it. */
import { Checkout, type CheckoutProps } from '../ui/Checkout.ts';

const shown: Checkout[] = [];

export function showCheckout(props: CheckoutProps): Checkout {
  const checkout = new Checkout(props, document.body);
  shown.push(checkout);
  return checkout;
}

/** Removes every dialog shown (as BC.close() and the close button do): nothing more is sent or drawn. */
export function closeCheckouts(): void {
  for (const checkout of shown.splice(0)) checkout.destroy();
}
