/** The card-factor rules: GB 11643 check digits and birth dates, Luhn, mobile format, the sandbox bank's answers. */
import { describe, expect, it } from 'vitest';
import {
  isValidCardNumber,
  isValidIdNumber,
  isValidMobile,
  SANDBOX_BANK_ACCOUNTS,
  sandboxAccountFor,
} from './card-auth.ts';

describe('id numbers (GB 11643-1999)', () => {
  it('accepts real check digits, X included, in either case', () => {
    expect(isValidIdNumber('110105199003071239')).toBe(true);
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
  });
  it('refuses a wrong check digit, an impossible birth date, a wrong length', () => {
    expect(isValidIdNumber('110105199003071230')).toBe(false);
    expect(isValidIdNumber('110105199002301234')).toBe(false);
    expect(isValidIdNumber('11010519900307123')).toBe(false);
    expect(isValidIdNumber('11010518000307123X')).toBe(false);
  });
});

describe('card numbers (Luhn) and mobiles', () => {
  it('checks the Luhn digit and the length', () => {
    expect(isValidCardNumber('6222021000000080001')).toBe(true);
    expect(isValidCardNumber('4111111111111111')).toBe(true);
    expect(isValidCardNumber('4111111111111112')).toBe(false);
    expect(isValidCardNumber('41111111111')).toBe(false);
    expect(isValidCardNumber('6222 0210 0000 0080')).toBe(false);
  });
  it('checks mainland mobile numbers', () => {
    expect(isValidMobile('13800138000')).toBe(true);
    expect(isValidMobile('12800138000')).toBe(false);
    expect(isValidMobile('1380013800')).toBe(false);
  });
  it('documents only well-formed sandbox accounts', () => {
    for (const account of SANDBOX_BANK_ACCOUNTS) {
      expect(isValidIdNumber(account.idNo)).toBe(true);
      expect(isValidCardNumber(account.cardNo)).toBe(true);
      expect(isValidMobile(account.mobile)).toBe(true);
    }
  });
});

describe('the sandbox bank', () => {
  it('matches every factor given and nothing else', () => {
    const zhang = { name: '张三', idNo: '110105199003071239' };
    expect(sandboxAccountFor(zhang)).toBeDefined();
    expect(sandboxAccountFor({ ...zhang, cardNo: '6214830000000030004' })).toBeUndefined();
    expect(sandboxAccountFor({ ...zhang, cardNo: '6222021000000070002', mobile: '13800138000' })?.debit).toBe(
      'declined',
    );
    expect(sandboxAccountFor({ ...zhang, name: '张四' })).toBeUndefined();
  });
});
