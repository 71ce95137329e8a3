/**
 * `POST /2/rest/international/bill` after its schema (international-schemas.ts), in the core's names, with the rules
 * a schema cannot say: the card number's Luhn check, a card not expired. Amounts are in the currency's minor units.
 */
import type { Static } from 'typebox';
import type { PayPalChannelName } from '../channels/channel.ts';
import type { CardInput } from '../core/counter-payments.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import {
  currencyDecimals,
  type CreditCardInfo,
  type internationalPayRequest,
} from './international-schemas.ts';
import { payRequestFrom, type PayRequest } from './pay-request.ts';

export { currencyDecimals };

/** An amount in minor units as the currency writes it ("12.34 USD", "1200 JPY"), exactly (no floating point). */
export function formatMinorUnits(amount: number, currency: string): string {
  const decimals = currencyDecimals[currency] ?? 2;
  if (decimals === 0) return `${amount} ${currency}`;
  const text = String(amount).padStart(decimals + 1, '0');
  return `${text.slice(0, -decimals)}.${text.slice(-decimals)} ${currency}`;
}

export interface InternationalPayRequest extends PayRequest {
  channel: PayPalChannelName;
  currency: string;
  card?: CardInput;
  cardId?: string;
}

/** The Luhn check every card number passes. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function cardFrom(card: Static<typeof CreditCardInfo>, now: Date): CardInput {
  const number = String(card.card_number);
  if (!luhnValid(number)) {
    throw new BeeCloudError('PARAM_INVALID', 'credit_card_info.card_number', 'is not a valid card number');
  }
  const expireMonth = Number(card.expire_month);
  const expireYear = Number(card.expire_year);
  const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
  if (expireYear * 12 + expireMonth < thisMonth) {
    throw new BeeCloudError('PARAM_INVALID', 'credit_card_info.expire_year', 'the card has expired');
  }
  return {
    number,
    expireMonth,
    expireYear,
    cvv: String(card.cvv),
    firstName: card.first_name,
    lastName: card.last_name,
    cardType: card.card_type.toLowerCase(),
  };
}

export function internationalPayRequestFrom(
  fields: Static<typeof internationalPayRequest>,
  now = new Date(),
): InternationalPayRequest {
  const request: InternationalPayRequest = {
    ...payRequestFrom(fields),
    channel: fields.channel,
    currency: fields.currency,
  };
  if (fields.channel === 'PAYPAL_CREDITCARD' && fields.credit_card_info !== undefined) {
    request.card = cardFrom(fields.credit_card_info, now);
  }
  if (fields.channel === 'PAYPAL_SAVED_CREDITCARD') request.cardId = fields.credit_card_id;
  return request;
}
