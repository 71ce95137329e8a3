/**
 * The body of `POST /2/rest/international/bill` (BeeCloud's 境外支付, PayPal), as the SDKs send it: channel
 * PAYPAL_PAYPAL (return_url) | PAYPAL_CREDITCARD (credit_card_info) | PAYPAL_SAVED_CREDITCARD (credit_card_id),
 * currency (PayPal's 24), total_fee in the currency's minor units (an integer: cents, or yen for JPY).
 */
import type { PayPalChannelName } from '../channels/channel.ts';
import type { CardInput } from '../core/counter-payments.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import { readPayFields, type PayRequest } from './pay-request.ts';
import type { RequestFields } from './request-fields.ts';

/** PayPal's currencies and the decimals of each (HUF, JPY and TWD have none at PayPal). */
export const currencyDecimals: Readonly<Record<string, number>> = {
  AUD: 2,
  BRL: 2,
  CAD: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  HKD: 2,
  HUF: 0,
  ILS: 2,
  JPY: 0,
  MYR: 2,
  MXN: 2,
  TWD: 0,
  NZD: 2,
  NOK: 2,
  PHP: 2,
  PLN: 2,
  GBP: 2,
  SGD: 2,
  SEK: 2,
  CHF: 2,
  THB: 2,
  TRY: 2,
  USD: 2,
};

/** An amount in minor units as the currency writes it ("12.34 USD", "1200 JPY"), exactly (no floating point). */
export function formatMinorUnits(amount: number, currency: string): string {
  const decimals = currencyDecimals[currency] ?? 2;
  if (decimals === 0) return `${amount} ${currency}`;
  const text = String(amount).padStart(decimals + 1, '0');
  return `${text.slice(0, -decimals)}.${text.slice(-decimals)} ${currency}`;
}

const paypalChannels: readonly PayPalChannelName[] = [
  'PAYPAL_PAYPAL',
  'PAYPAL_CREDITCARD',
  'PAYPAL_SAVED_CREDITCARD',
];
const cardTypes = ['visa', 'mastercard', 'discover', 'amex'];

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

function readCard(value: unknown, now: Date): CardInput {
  let card = value;
  if (typeof card === 'string') {
    try {
      card = JSON.parse(card);
    } catch {
      throw new BeeCloudError('PARAM_INVALID', 'credit_card_info', 'must be a map');
    }
  }
  if (typeof card !== 'object' || card === null || Array.isArray(card)) {
    throw new BeeCloudError('PARAM_INVALID', 'credit_card_info', 'must be a map');
  }
  const map = card as Record<string, unknown>;
  const field = (name: string): unknown => {
    const item = map[name];
    if (item === undefined || item === null || item === '') {
      throw new BeeCloudError('MISS_PARAM', `credit_card_info.${name}`, 'is required');
    }
    return item;
  };
  const digitsOf = (name: string, pattern: RegExp, text: string): string => {
    const item = field(name);
    const str = typeof item === 'number' && Number.isSafeInteger(item) ? String(item) : item;
    if (typeof str !== 'string' || !pattern.test(str)) {
      throw new BeeCloudError('PARAM_INVALID', `credit_card_info.${name}`, text);
    }
    return str;
  };
  const number = digitsOf('card_number', /^\d{12,19}$/, 'must be 12 to 19 digits');
  if (!luhnValid(number)) {
    throw new BeeCloudError('PARAM_INVALID', 'credit_card_info.card_number', 'is not a valid card number');
  }
  const expireMonth = Number(digitsOf('expire_month', /^(0?[1-9]|1[0-2])$/, 'must be a month, 1 to 12'));
  const expireYear = Number(digitsOf('expire_year', /^20\d{2}$/, 'must be a four-digit year'));
  const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
  if (expireYear * 12 + expireMonth < thisMonth) {
    throw new BeeCloudError('PARAM_INVALID', 'credit_card_info.expire_year', 'the card has expired');
  }
  const cvv = digitsOf('cvv', /^\d{3,4}$/, 'must be 3 or 4 digits');
  const name = (key: string): string => {
    const item = field(key);
    if (
      typeof item !== 'string' ||
      item.length > 64 ||
      /[\u0000-\u001f\u007f<>]/.test(item) ||
      item.trim() === ''
    ) {
      throw new BeeCloudError(
        'PARAM_INVALID',
        `credit_card_info.${key}`,
        'must be a name of at most 64 characters',
      );
    }
    return item;
  };
  const firstName = name('first_name');
  const lastName = name('last_name');
  const cardType = field('card_type');
  if (typeof cardType !== 'string' || !cardTypes.includes(cardType.toLowerCase())) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'credit_card_info.card_type',
      'must be visa, mastercard, discover or amex',
    );
  }
  return { number, expireMonth, expireYear, cvv, firstName, lastName, cardType: cardType.toLowerCase() };
}

export function readInternationalPayRequest(
  fields: RequestFields,
  now = new Date(),
): InternationalPayRequest {
  const name = fields.requiredString('channel', { maxLength: 32 });
  if (!(paypalChannels as readonly string[]).includes(name)) {
    throw new BeeCloudError(
      'CHANNEL_INVALID',
      'channel',
      `must be PAYPAL_PAYPAL, PAYPAL_CREDITCARD or PAYPAL_SAVED_CREDITCARD, not "${name.slice(0, 32)}"`,
    );
  }
  const channel = name as PayPalChannelName;
  const currency = fields.requiredString('currency', { maxLength: 3 });
  if (currencyDecimals[currency] === undefined) {
    throw new BeeCloudError('PARAM_INVALID', 'currency', `${currency} is not one of PayPal's currencies`);
  }
  if (typeof fields.values.total_fee === 'string' && /\./.test(fields.values.total_fee)) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'total_fee',
      `must be an integer in the minor units of ${currency}`,
    );
  }
  if (channel === 'PAYPAL_PAYPAL' && !fields.has('return_url')) {
    throw new BeeCloudError('MISS_PARAM', 'return_url', 'is required for PAYPAL_PAYPAL');
  }
  const request: InternationalPayRequest = { ...readPayFields(fields, channel), channel, currency };
  if (channel === 'PAYPAL_CREDITCARD') {
    if (!fields.has('credit_card_info')) {
      throw new BeeCloudError('MISS_PARAM', 'credit_card_info', 'is required for PAYPAL_CREDITCARD');
    }
    request.card = readCard(fields.values.credit_card_info, now);
  }
  if (channel === 'PAYPAL_SAVED_CREDITCARD') {
    request.cardId = fields.requiredString('credit_card_id', {
      pattern: /^CARD-[0-9A-Z]{1,40}$/,
      patternText: 'must be a credit_card_id as PAYPAL_CREDITCARD answered it (CARD-…)',
    });
  }
  return request;
}
