/**
 * Card-factor authentication (鉴权, BeeCloud's `POST /2/auth`): two factors (name + id number), three (+ bank
 * card number) or four (+ the mobile the bank holds for the card). Only a bank can really check an identity, so
 * spay answers from its **sandbox bank**: a few documented test accounts (`SANDBOX_BANK_ACCOUNTS`, listed in the
 * README). Factors that match one of them answer `auth_result: true`; any other well-formed factors answer false.
 * Live apps are refused (no bank contract behind spay).
 *
 * The input rules are real: the id number's GB 11643-1999 check digit, the card number's Luhn check digit and the
 * mainland mobile format; each refusal names its field.
 */
import { createHmac } from 'node:crypto';
import type { App } from '../apps/app.ts';
import { DomainError } from './domain-error.ts';

export interface CardFactors {
  name: string;
  idNo: string;
  cardNo?: string;
  mobile?: string;
}

export interface CardAuthOutcome {
  authResult: boolean;
  authMsg: string;
  /** Stands for the factors given (deterministic per app); what `card_id` means in subscriptions. */
  cardId: string;
}

/** An account of the sandbox bank: who holds it, its card, the mobile on file and how debits of it end. */
export interface SandboxBankAccount {
  name: string;
  idNo: string;
  cardNo: string;
  mobile: string;
  bankName: string;
  /** `ok`: every debit succeeds; `declined`: every debit fails; `declined_once`: each charge's first try fails. */
  debit: 'ok' | 'declined' | 'declined_once';
}

/** The sandbox bank's documented test accounts (README "Subscriptions" lists them). */
export const SANDBOX_BANK_ACCOUNTS: readonly SandboxBankAccount[] = [
  {
    name: '张三',
    idNo: '110105199003071239',
    cardNo: '6222021000000080001',
    mobile: '13800138000',
    bankName: '中国工商银行',
    debit: 'ok',
  },
  {
    name: '张三',
    idNo: '110105199003071239',
    cardNo: '6222021000000070002',
    mobile: '13800138000',
    bankName: '中国工商银行',
    debit: 'declined',
  },
  {
    name: '张三',
    idNo: '110105199003071239',
    cardNo: '6222021000000060003',
    mobile: '13800138000',
    bankName: '中国工商银行',
    debit: 'declined_once',
  },
  {
    name: '李四',
    idNo: '310115198506110522',
    cardNo: '6214830000000030004',
    mobile: '13900139000',
    bankName: '招商银行',
    debit: 'ok',
  },
];

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** A resident id number of GB 11643-1999: 17 digits (with a real birth date) and its check digit (0-9 or X). */
export function isValidIdNumber(idNo: string): boolean {
  if (!/^\d{17}[\dX]$/i.test(idNo)) return false;
  const year = Number(idNo.slice(6, 10));
  const month = Number(idNo.slice(10, 12));
  const day = Number(idNo.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  if (
    year < 1900 ||
    birth.getUTCFullYear() !== year ||
    birth.getUTCMonth() !== month - 1 ||
    birth.getUTCDate() !== day
  ) {
    return false;
  }
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(idNo[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] === idNo[17]?.toUpperCase();
}

/** A bank card number: 12 to 19 digits whose last digit is the Luhn check digit. */
export function isValidCardNumber(cardNo: string): boolean {
  if (!/^\d{12,19}$/.test(cardNo)) return false;
  let sum = 0;
  for (let i = 0; i < cardNo.length; i += 1) {
    let digit = Number(cardNo[cardNo.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** A mainland China mobile number: 11 digits starting 13-19. */
export function isValidMobile(mobile: string): boolean {
  return /^1[3-9]\d{9}$/.test(mobile);
}

/** Checks the factors' shapes; throws a `DomainError` naming the field at fault. */
export function checkCardFactors(factors: CardFactors): void {
  if (factors.name.trim() === '' || factors.name.length > 40) {
    throw new DomainError('factor_invalid', 'name', 'must be the name on the id card (1 to 40 characters)');
  }
  if (!isValidIdNumber(factors.idNo)) {
    throw new DomainError(
      'factor_invalid',
      'id_no',
      'is not a valid resident id number (18 characters, a real birth date, GB 11643 check digit)',
    );
  }
  if (factors.cardNo !== undefined && !isValidCardNumber(factors.cardNo)) {
    throw new DomainError(
      'factor_invalid',
      'card_no',
      'is not a valid bank card number (12-19 digits, Luhn check)',
    );
  }
  if (factors.mobile !== undefined) {
    if (factors.cardNo === undefined) {
      throw new DomainError('factor_invalid', 'card_no', 'is required with mobile (four-factor check)');
    }
    if (!isValidMobile(factors.mobile)) {
      throw new DomainError(
        'factor_invalid',
        'mobile',
        'is not a mainland mobile number (11 digits, 13-19…)',
      );
    }
  }
}

/** The sandbox bank's account for these factors (every factor given must match), or undefined. */
export function sandboxAccountFor(factors: CardFactors): SandboxBankAccount | undefined {
  const idNo = factors.idNo.toUpperCase();
  return SANDBOX_BANK_ACCOUNTS.find(
    (account) =>
      account.idNo === idNo &&
      account.name === factors.name.trim() &&
      (factors.cardNo === undefined || account.cardNo === factors.cardNo) &&
      (factors.mobile === undefined || account.mobile === factors.mobile),
  );
}

/** The sandbox bank's account holding this card number, or undefined. */
export function sandboxAccountOfCard(cardNo: string): SandboxBankAccount | undefined {
  return SANDBOX_BANK_ACCOUNTS.find((account) => account.cardNo === cardNo);
}

/**
 * The card_id of a set of factors: an HMAC under the app's master secret, so the same factors always give the same
 * id for one app and the id tells nothing about the card without the secret.
 */
export function cardIdFor(app: App, factors: CardFactors & { bankName?: string }): string {
  const text = [
    factors.bankName ?? '',
    factors.cardNo ?? '',
    factors.name.trim(),
    factors.idNo.toUpperCase(),
    factors.mobile ?? '',
  ].join('\n');
  return `card_${createHmac('sha256', app.masterSecret).update(text).digest('hex').slice(0, 32)}`;
}

/** Whether a test-mode app may use the sandbox bank; live apps are refused. */
export function requireSandboxBank(app: App, what: string): void {
  if (app.mode !== 'test') {
    throw new DomainError(
      'channel_not_configured',
      'channel',
      `${what} needs a bank's contract; spay answers it from its sandbox bank only: use the app in test mode`,
    );
  }
}

/** `POST /2/auth`: checks the factors' shapes, then asks the sandbox bank. */
export function verifyCardFactors(app: App, factors: CardFactors): CardAuthOutcome {
  requireSandboxBank(app, 'card-factor authentication');
  checkCardFactors(factors);
  const count = 2 + (factors.cardNo !== undefined ? 1 : 0) + (factors.mobile !== undefined ? 1 : 0);
  const match = sandboxAccountFor(factors) !== undefined;
  return {
    authResult: match,
    authMsg: match ? `${count}要素认证一致` : `${count}要素认证不一致`,
    cardId: cardIdFor(app, factors),
  };
}
