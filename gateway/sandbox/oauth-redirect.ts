/** A redirect target for the sandbox OAuth page: an absolute http(s) URL (it may carry its own query). */
import { BeeCloudError } from '../errors/result-codes.ts';

export function parseReturnUrlWithQuery(value: unknown, field: string): URL {
  if (value === undefined || value === '') throw new BeeCloudError('MISS_PARAM', field, 'required');
  if (typeof value !== 'string' || value.length > 2048) {
    throw new BeeCloudError('PARAM_INVALID', field, 'must be one URL of at most 2048 characters');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BeeCloudError('PARAM_INVALID', field, 'is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BeeCloudError('PARAM_INVALID', field, 'must start with http:// or https://');
  }
  return url;
}
