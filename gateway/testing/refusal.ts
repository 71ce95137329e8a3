/** The refusal a gateway check throws: tests read its result code and the field its detail names. */
import { BeeCloudError } from '../errors/result-codes.ts';

/** The BeeCloudError `action` throws; anything else it throws is rethrown, and accepting fails the test. */
export function refusalOf(action: () => unknown, accepted = 'accepted'): BeeCloudError {
  try {
    action();
  } catch (error) {
    if (error instanceof BeeCloudError) return error;
    throw error;
  }
  throw new Error(accepted);
}

/** `refusalOf` for an asynchronous check. */
export async function asyncRefusalOf(
  action: () => Promise<unknown>,
  accepted = 'accepted',
): Promise<BeeCloudError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof BeeCloudError) return error;
    throw error;
  }
  throw new Error(accepted);
}
