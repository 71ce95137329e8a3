/**
 * `POST /2/rest/international/bill` (BeeCloud's 境外支付, PayPal): the pay fields of pay-schemas.ts with a PayPal
 * channel, the currency (PayPal's 24) and total_fee in its minor units; PAYPAL_PAYPAL needs return_url,
 * PAYPAL_CREDITCARD the card (credit_card_info), PAYPAL_SAVED_CREDITCARD the credit_card_id PAYPAL_CREDITCARD
 * answered. What a schema cannot say — the card number's Luhn check, a card not expired — is in
 * international-request.ts. How to add an endpoint: gateway/schema/beecloud-schema.ts.
 */
import { Fen, OkAnswer, SignedRequest, Type, Words } from '../schema/beecloud-schema.ts';
import { payFields, whenChannel } from './pay-schemas.ts';

export const internationalTags = ['international'];

export const paypalChannels = ['PAYPAL_PAYPAL', 'PAYPAL_CREDITCARD', 'PAYPAL_SAVED_CREDITCARD'] as const;

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

const cardTypes = ['visa', 'mastercard', 'discover', 'amex'];

/** Any case ("VISA", "Visa"), as cards are written. */
const anyCase = (word: string) => word.replace(/[a-z]/g, (letter) => `[${letter}${letter.toUpperCase()}]`);

/** Digits sent as text or as a JSON integer (SDKs do both): the pattern for text, the range for an integer. */
const Digits = (pattern: string, minimum: number, maximum: number, message: string, description: string) =>
  Type.Unsafe<string | number>({
    type: ['string', 'integer'],
    pattern,
    minimum,
    maximum,
    'x-error-message': message,
    description,
  });

const cardName = (description: string) =>
  Type.String({
    maxLength: 64,
    pattern: '^(?=[\\s\\S]*\\S)[^\\u0000-\\u001f\\u007f<>]*$',
    'x-error-message': 'must be a name of at most 64 characters',
    description,
  });

export const CreditCardInfo = Type.Object(
  {
    card_number: Digits(
      '^\\d{12,19}$',
      100_000_000_000,
      Number.MAX_SAFE_INTEGER,
      'must be 12 to 19 digits',
      '12 to 19 digits, passing the Luhn check.',
    ),
    expire_month: Digits('^(0?[1-9]|1[0-2])$', 1, 12, 'must be a month, 1 to 12', '1 to 12.'),
    expire_year: Digits('^20\\d{2}$', 2000, 2099, 'must be a four-digit year', 'e.g. 2028; not expired.'),
    cvv: Digits('^\\d{3,4}$', 100, 9999, 'must be 3 or 4 digits', '3 or 4 digits.'),
    first_name: cardName('The card holder’s first name.'),
    last_name: cardName('The card holder’s last name.'),
    card_type: Type.String({
      pattern: `^(${cardTypes.map(anyCase).join('|')})$`,
      'x-error-message': 'must be visa, mastercard, discover or amex',
      description: 'visa, mastercard, discover or amex (any case).',
    }),
  },
  {
    'x-beecloud-text': true,
    title: 'CreditCardInfo',
    description: 'PAYPAL_CREDITCARD: the card (an object, or its JSON text). Never stored whole.',
  },
);

export const internationalPayRequest = SignedRequest(
  {
    channel: Words(paypalChannels, {
      code: 'CHANNEL_INVALID',
      message: 'must be PAYPAL_PAYPAL, PAYPAL_CREDITCARD or PAYPAL_SAVED_CREDITCARD',
      description:
        'PAYPAL_PAYPAL: PayPal’s approval page (return_url); PAYPAL_CREDITCARD: a card (credit_card_info); PAYPAL_SAVED_CREDITCARD: a saved card (credit_card_id).',
    }),
    currency: Words(Object.keys(currencyDecimals), {
      message: `must be one of PayPal's currencies: ${Object.keys(currencyDecimals).join(', ')}`,
      description: 'The ISO 4217 code, in capitals.',
    }),
    ...payFields,
    total_fee: Fen({
      description: 'An integer in the currency’s minor units (cents; yen for JPY, which has none).',
    }),
    credit_card_info: Type.Optional(CreditCardInfo),
    credit_card_id: Type.Optional(
      Type.String({
        pattern: '^CARD-[0-9A-Z]{1,40}$',
        'x-error-message': 'must be a credit_card_id as PAYPAL_CREDITCARD answered it (CARD-…)',
        description: 'PAYPAL_SAVED_CREDITCARD: the credit_card_id a PAYPAL_CREDITCARD payment answered.',
      }),
    ),
  },
  {
    allOf: [
      whenChannel('PAYPAL_PAYPAL', { required: ['return_url'] }),
      whenChannel('PAYPAL_CREDITCARD', { required: ['credit_card_info'] }),
      whenChannel('PAYPAL_SAVED_CREDITCARD', { required: ['credit_card_id'] }),
    ],
  },
);

export const internationalPayAnswer = OkAnswer({
  id: Type.String({ description: 'The bill’s id at the gateway.' }),
  url: Type.Optional(
    Type.String({
      description:
        'PAYPAL_PAYPAL: PayPal’s approval page (in test mode the sandbox’s, /sandbox/paypal/approve/{id}).',
    }),
  ),
  credit_card_id: Type.Optional(
    Type.String({ description: 'PAYPAL_CREDITCARD: the card saved, for PAYPAL_SAVED_CREDITCARD.' }),
  ),
});
