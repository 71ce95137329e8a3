/**
 * BeeCloud's result codes (reference §4) and the error every gateway route throws to answer with one.
 * Routes never build error bodies by hand: they throw `BeeCloudError` and the error handler answers
 * `{resultCode, result_code, result_msg, err_detail}`.
 */

export const ResultCode = {
  OK: 0,
  APP_INVALID: 1,
  PAY_FACTOR_NOT_SET: 2,
  CHANNEL_INVALID: 3,
  MISS_PARAM: 4,
  PARAM_INVALID: 5,
  CERT_FILE_ERROR: 6,
  CHANNEL_ERROR: 7,
  NO_SUCH_BILL: 8,
  BILL_UNSUCCESS: 9,
  REFUND_EXCEED_TIME: 10,
  ALREADY_REFUNDING: 11,
  REFUND_AMOUNT_TOO_LARGE: 12,
  NO_SUCH_REFUND: 13,
  RUNTIME_ERROR: 14,
  NETWORK_ERROR: 15,
  PREREFUND_DUPLICATE: 16,
  BILL_NO_DUPLICATE: 17,
} as const;

export type ResultName = keyof typeof ResultCode;
export type ResultCodeNumber = (typeof ResultCode)[ResultName];

const namesByCode = new Map<number, ResultName>(
  (Object.entries(ResultCode) as [ResultName, number][]).map(([name, code]) => [code, name]),
);

export function resultName(code: number): ResultName {
  return namesByCode.get(code) ?? 'RUNTIME_ERROR';
}

/** The body of every BeeCloud answer, success or failure. */
export interface BeeCloudAnswer {
  resultCode: number;
  result_code: number;
  result_msg: string;
  err_detail: string;
}

export function okAnswer(): BeeCloudAnswer {
  return { resultCode: 0, result_code: 0, result_msg: 'OK', err_detail: '' };
}

/**
 * A refusal with a BeeCloud result code. `field` names the input at fault (it starts `err_detail`),
 * `httpStatus` is 200 like BeeCloud unless the failure is at the HTTP level (bad JSON, body too large, …).
 */
export class BeeCloudError extends Error {
  readonly code: ResultCodeNumber;
  readonly field: string;
  readonly httpStatus: number;

  constructor(code: ResultName, field: string, message: string, httpStatus = 200) {
    super(`${field}: ${message}`);
    this.name = 'BeeCloudError';
    this.code = ResultCode[code];
    this.field = field;
    this.httpStatus = httpStatus;
  }

  get detail(): string {
    return this.message;
  }

  toAnswer(): BeeCloudAnswer {
    return {
      resultCode: this.code,
      result_code: this.code,
      result_msg: resultName(this.code),
      err_detail: this.detail,
    };
  }
}
