/**
 * The signs and nonces already used (table `seen_signatures`, migration 102_app_security), so a captured request
 * cannot be sent again while its timestamp is still inside the window. In the store, not in memory: every gateway
 * instance sharing the database refuses the replay. A row only matters until `expires_at` (the end of its
 * timestamp's window); `deleteExpired` removes the old ones.
 */
import type { GatewayTx } from './tables.ts';

export type SeenSignatureKind = 'legacy_sign' | 'nonce';

export interface SignatureClaim {
  appId: string;
  kind: SeenSignatureKind;
  /** What identifies the use: the v2 nonce, or a digest of a legacy request's timestamp and app_sign. */
  fingerprint: string;
  /** Until when the claim blocks a replay (milliseconds since the epoch). */
  expiresAt: number;
  now: number;
}

export class ReplayGuardStore {
  constructor(private readonly db: GatewayTx) {}

  /**
   * Records a use; true when it is the first (or the earlier one has expired), false for a replay. One conditional
   * statement, so two concurrent claims of the same fingerprint cannot both win.
   */
  async claim(claim: SignatureClaim): Promise<boolean> {
    const result = await this.db
      .insertInto('seen_signatures')
      .values({
        app_id: claim.appId,
        kind: claim.kind,
        fingerprint: claim.fingerprint,
        expires_at: claim.expiresAt,
      })
      .onConflict((oc) =>
        oc
          .columns(['app_id', 'kind', 'fingerprint'])
          .doUpdateSet({ expires_at: claim.expiresAt })
          .where('seen_signatures.expires_at', '<=', claim.now),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Deletes the rows whose window has passed; returns how many. */
  async deleteExpired(now: number): Promise<number> {
    const result = await this.db
      .deleteFrom('seen_signatures')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
