/**
 * The international store: the currency of international (PayPal) bills and the cards saved at the channel
 * (PAYPAL_CREDITCARD's credit_card_id). A saved card belongs to one app and mode; only its type, last four digits,
 * expiry and holder's name are kept.
 */
import type { Selectable } from 'kysely';
import type { AppMode } from '../apps/app.ts';
import type { GatewayTx, SavedCardTable } from './tables.ts';

export interface SavedCard {
  id: string;
  appId: string;
  mode: AppMode;
  cardType: string;
  last4: string;
  expireMonth: number;
  expireYear: number;
  firstName: string;
  lastName: string;
  createTime: number;
}

function cardFromRow(row: Selectable<SavedCardTable>): SavedCard {
  return {
    id: row.id,
    appId: row.app_id,
    mode: row.mode,
    cardType: row.card_type,
    last4: row.last4,
    expireMonth: Number(row.expire_month),
    expireYear: Number(row.expire_year),
    firstName: row.first_name,
    lastName: row.last_name,
    createTime: Number(row.create_time),
  };
}

export class InternationalStore {
  constructor(private readonly db: GatewayTx) {}

  async saveCurrency(billId: string, currency: string): Promise<void> {
    await this.db.insertInto('bill_currencies').values({ bill_id: billId, currency }).execute();
  }

  /** The currency of a bill; undefined for a bill in CNY fen. */
  async currencyOf(billId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('bill_currencies')
      .select('currency')
      .where('bill_id', '=', billId)
      .executeTakeFirst();
    return row?.currency;
  }

  /** Saves a card (idempotent by id: the channel's id of the card). */
  async saveCard(card: SavedCard): Promise<void> {
    await this.db
      .insertInto('saved_cards')
      .values({
        id: card.id,
        app_id: card.appId,
        mode: card.mode,
        card_type: card.cardType,
        last4: card.last4,
        expire_month: card.expireMonth,
        expire_year: card.expireYear,
        first_name: card.firstName,
        last_name: card.lastName,
        create_time: card.createTime,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  /** A saved card of this app and mode (another app's id is unknown here). */
  async findCard(appId: string, mode: AppMode, id: string): Promise<SavedCard | undefined> {
    const row = await this.db
      .selectFrom('saved_cards')
      .selectAll()
      .where('id', '=', id)
      .where('app_id', '=', appId)
      .where('mode', '=', mode)
      .executeTakeFirst();
    return row === undefined ? undefined : cardFromRow(row);
  }
}
