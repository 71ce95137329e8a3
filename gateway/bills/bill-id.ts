/** Bill ids are random UUIDs: anything else is not a bill, without asking the database. */
import { randomUUID } from 'node:crypto';

const billIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function newBillId(): string {
  return randomUUID();
}

export function looksLikeBillId(id: string): boolean {
  return billIdPattern.test(id);
}
