/**
 * Reading the console's JSON bodies and query strings: each reader names the field at fault (ConsoleError
 * `invalid`), so a bad value is a 400 that says which field, never a 500.
 */
import { isChannelFamily, isChannelName, type ChannelFilter } from '../channels/channels.ts';
import { invalid } from './console-errors.ts';

export type Fields = Record<string, unknown>;

/** The body as an object (an absent body is `{}`). */
export function bodyOf(body: unknown): Fields {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('body', 'must be a JSON object');
  return body as Fields;
}

export function requiredText(fields: Fields, name: string, options: { max: number; min?: number }): string {
  const value = fields[name];
  if (value === undefined || value === null) throw invalid(name, 'is required');
  return text(value, name, options);
}

export function optionalText(
  fields: Fields,
  name: string,
  options: { max: number; min?: number },
): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  return text(value, name, options);
}

function text(value: unknown, name: string, options: { max: number; min?: number }): string {
  if (typeof value !== 'string') throw invalid(name, 'must be a string');
  const min = options.min ?? 0;
  if (value.length < min)
    throw invalid(name, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
  if (value.length > options.max) throw invalid(name, `must be at most ${options.max} characters`);
  return value;
}

export function optionalBoolean(fields: Fields, name: string): boolean | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(name, 'must be true or false');
  return value;
}

export function requiredBoolean(fields: Fields, name: string): boolean {
  const value = optionalBoolean(fields, name);
  if (value === undefined) throw invalid(name, 'is required (true or false)');
  return value;
}

/** A whole number in [min, max] (money: fen). */
export function requiredInteger(fields: Fields, name: string, min: number, max: number): number {
  const value = fields[name];
  if (value === undefined || value === null) throw invalid(name, 'is required');
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw invalid(name, 'must be a whole number');
  if (value < min || value > max) throw invalid(name, `must be between ${min} and ${max}`);
  return value;
}

export function oneOf<T extends string>(fields: Fields, name: string, allowed: readonly T[]): T | undefined {
  const value = fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(name, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** A list of strings (1..max items unless `allowEmpty`), each checked by `each`. */
export function stringList(
  fields: Fields,
  name: string,
  options: { max: number; allowEmpty?: boolean; itemMax?: number },
): string[] {
  const value = fields[name];
  if (value === undefined || value === null) throw invalid(name, 'is required');
  if (!Array.isArray(value)) throw invalid(name, 'must be a list');
  if (value.length === 0 && !options.allowEmpty) throw invalid(name, 'must not be empty');
  if (value.length > options.max) throw invalid(name, `must have at most ${options.max} items`);
  return value.map((item, index) => {
    if (typeof item !== 'string' || item === '')
      throw invalid(`${name}.${index}`, 'must be a non-empty string');
    if (item.length > (options.itemMax ?? 128)) throw invalid(`${name}.${index}`, 'is too long');
    return item;
  });
}

/** Query-string readers: values arrive as strings. */
export function queryTime(query: Fields, name: string): number | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) {
    throw invalid(name, 'must be a time in milliseconds since the epoch');
  }
  return Number(value);
}

export function queryText(query: Fields, name: string, max = 64): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(name, 'must be given once');
  if (value.length > max) throw invalid(name, `must be at most ${max} characters`);
  return value;
}

export function queryFlag(query: Fields, name: string): boolean | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw invalid(name, 'must be true or false');
}

export function queryLimit(query: Fields): number {
  const value = query.limit;
  if (value === undefined || value === '') return 50;
  if (typeof value !== 'string' || !/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > 200) {
    throw invalid('limit', 'must be a whole number from 1 to 200');
  }
  return Number(value);
}

/** `channel`: a family (ALI, WX, UN) or a channel (ALI_WEB …). */
export function queryChannel(query: Fields): ChannelFilter | undefined {
  const value = queryText(query, 'channel', 16);
  if (value === undefined) return undefined;
  if (isChannelFamily(value)) return { family: value };
  if (isChannelName(value)) return { subChannel: value };
  throw invalid('channel', 'must be ALI, WX, UN or a channel such as ALI_WEB');
}

/** Keyset cursors: base64url of `[time, id]`. */
export function encodeCursor(time: number, id: string): string {
  return Buffer.from(JSON.stringify([time, id])).toString('base64url');
}

export function queryCursor(query: Fields): { time: number; id: string } | undefined {
  const value = queryText(query, 'cursor', 512);
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      Number.isSafeInteger(parsed[0]) &&
      typeof parsed[1] === 'string' &&
      parsed[1].length <= 128
    ) {
      return { time: parsed[0] as number, id: parsed[1] };
    }
  } catch {
    // refused below
  }
  throw invalid('cursor', 'is not a cursor this API gave out');
}
