/**
 * BeeCloud's refund number: the refund date (8 digits, yyyyMMdd) followed by a serial of 3–24 letters or digits.
 * The serial "000" (or any all-zero serial) is refused, as BeeCloud refused it.
 */
import { BeeCloudError } from '../errors/result-codes.ts';

const REFUND_NO = /^(\d{4})(\d{2})(\d{2})([0-9A-Za-z]{3,24})$/;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 2000 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Returns the refund number if it follows the rules, else throws PARAM_INVALID naming `refund_no`. */
export function checkRefundNo(refundNo: string): string {
  const match = REFUND_NO.exec(refundNo);
  if (match === null) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'refund_no',
      'must be the refund date (yyyyMMdd) followed by 3 to 24 letters or digits',
    );
  }
  const [, year, month, day, serial] = match;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'refund_no',
      `must start with a real date (yyyyMMdd), not ${year}${month}${day}`,
    );
  }
  if (/^0+$/.test(serial)) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'refund_no',
      'the serial after the date must not be all zeros ("000")',
    );
  }
  return refundNo;
}
