/**
 * Migration 140_international: international (PayPal) bills and offline extras.
 * - `bill_currencies`: the ISO 4217 currency of an international bill (its total_fee is in that currency's minor
 *   units); bills without a row are in CNY fen.
 * - `saved_cards`: cards saved at the channel by PAYPAL_CREDITCARD (the credit_card_id a later
 *   PAYPAL_SAVED_CREDITCARD pays with): only the card type, last four digits, expiry and holder's name are kept —
 *   never the number or the CVV.
 */
import type { Kysely, Migration } from 'kysely';

export const m140_international: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('bill_currencies')
      .addColumn('bill_id', 'text', (c) => c.primaryKey())
      .addColumn('currency', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('saved_cards')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('card_type', 'text', (c) => c.notNull())
      .addColumn('last4', 'text', (c) => c.notNull())
      .addColumn('expire_month', 'integer', (c) => c.notNull())
      .addColumn('expire_year', 'integer', (c) => c.notNull())
      .addColumn('first_name', 'text', (c) => c.notNull())
      .addColumn('last_name', 'text', (c) => c.notNull())
      .addColumn('create_time', 'bigint', (c) => c.notNull())
      .execute();
  },
};
