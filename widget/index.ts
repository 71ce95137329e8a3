/**
 * The widget's entry, run after the gateway's `var BCConfig = {…};` prelude: defines window.BC once (a second
 * copy of the script leaves the first alone), replays calls queued on a stub `BC = {q: [[method, args]…]}`,
 * then dispatches `beecloud:onready` on document. No network request happens before the first click.
 */
import { createBC, type BC } from './bc.ts';
import { announceReady } from './events.ts';
import type { BCConfig } from './types.ts';

type QueuedCall = [keyof BC, unknown[]];
type BCWindow = Window & { BC?: BC | { q?: QueuedCall[] }; BCConfig?: BCConfig };

declare const BCConfig: BCConfig | undefined;

function install(win: BCWindow): void {
  const existing = win.BC as { q?: QueuedCall[] } | undefined;
  const queued = existing && Array.isArray(existing.q) ? existing.q : undefined;
  if (existing && !queued) return;
  const config = typeof BCConfig !== 'undefined' ? BCConfig : win.BCConfig;
  if (!config)
    console.error('spay: BCConfig is missing; load the script from /1/pay/jsbutton/returnscripts?appId=…');
  const bc = createBC(config, win);
  win.BC = bc;
  for (const [method, args] of queued ?? []) {
    const member = bc[method];
    if (typeof member === 'function') (member as (...values: unknown[]) => unknown).apply(bc, args);
  }
  announceReady(win.document);
}

install(window as BCWindow);
