/**
 * Sandbox channels whose refunds go wrong, for the refund tests: the channel says no, or cannot be reached. Every
 * other call behaves as the sandbox does.
 */
import type { RefundResult } from '../channels/channel.ts';
import { SandboxChannel } from '../channels/sandbox-adapter.ts';

/** Declines every refund (`REFUND_DECLINED`). */
export class DecliningChannel extends SandboxChannel {
  override async refund(): Promise<RefundResult> {
    return { status: 'failed', reason: 'REFUND_DECLINED' };
  }
}

/** Every refund call fails as a connection refused would. */
export class UnreachableChannel extends SandboxChannel {
  override async refund(): Promise<RefundResult> {
    throw new Error('connect ECONNREFUSED');
  }
}
