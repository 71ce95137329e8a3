/**
 * What every REST call returns: BeeCloud's `result_code` / `result_msg` / `err_detail`, plus `ok` so TypeScript
 * knows which fields a success carries. Network failures are results too (result_code 15, NETWORK_ERROR), never
 * an exception a caller can forget; `SpayError` is for the throwing variant.
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

export interface BeeCloudStatus {
  result_code: number;
  result_msg: string;
  err_detail: string;
}

export type Success<T> = BeeCloudStatus & { ok: true; result_code: 0 } & T;
export type Failure = BeeCloudStatus & {
  ok: false;
  /** The HTTP status of the answer, absent when no answer arrived. */
  http_status?: number;
};

export type SpayResult<T> = Success<T> | Failure;

/** Thrown by the throwing variant of the client (`client.orThrow`) for any result that is not a success. */
export class SpayError extends Error {
  readonly resultCode: number;
  readonly resultMsg: string;
  readonly errDetail: string;
  readonly httpStatus: number | undefined;

  constructor(failure: Failure) {
    super(
      `${failure.result_msg} (${failure.result_code})${failure.err_detail ? `: ${failure.err_detail}` : ''}`,
    );
    this.name = 'SpayError';
    this.resultCode = failure.result_code;
    this.resultMsg = failure.result_msg;
    this.errDetail = failure.err_detail;
    this.httpStatus = failure.http_status;
  }
}

export function networkFailure(detail: string): Failure {
  return {
    ok: false,
    result_code: ResultCode.NETWORK_ERROR,
    result_msg: 'NETWORK_ERROR',
    err_detail: detail,
  };
}
