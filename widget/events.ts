/** Lifecycle events, both as bubbling DOM CustomEvents `beecloud:NAME` on document and as the merchant's callbacks. */
import type { ClickEvents, DataError, LifecycleDetail, LifecycleName } from './types.ts';

/** Calls a merchant callback without letting the merchant's exception break the payment flow. */
export function callMerchant<A>(callback: ((argument: A) => void) | undefined, argument: A): void {
  if (typeof callback !== 'function') return;
  try {
    callback(argument);
  } catch (error) {
    setTimeout(() => {
      throw error;
    });
  }
}

export function emitLifecycle(
  name: LifecycleName,
  detail: LifecycleDetail,
  callbacks: ClickEvents,
  target: Document = document,
): void {
  target.dispatchEvent(new CustomEvent(`beecloud:${name}`, { detail, bubbles: true }));
  callMerchant(callbacks[name], detail);
}

/** The original's "ready" signal: `beecloud:onready` with `{msg}` on document, bubbling. */
export function announceReady(target: Document = document): void {
  target.dispatchEvent(
    new CustomEvent('beecloud:onready', { detail: { msg: 'BC is ready' }, bubbles: true }),
  );
}

/**
 * dataError, really called (the original's typo never called it), and the console; debug mode alerts the error as
 * JSON too. The payer never sees these details (notices.ts).
 */
export function reportDataError(
  error: DataError,
  callbacks: ClickEvents,
  debug: boolean,
  alertFn: (text: string) => void,
): void {
  console.warn(`spay: ${error.code} ${error.message}`);
  if (debug) alertFn(JSON.stringify(error));
  callMerchant(callbacks.dataError, error);
}
