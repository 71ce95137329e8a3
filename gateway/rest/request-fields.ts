/**
 * LEGACY — kept only for REST routes that do not have schemas yet (routes added on other branches, e.g.
 * subscriptions): `authenticated` (rest-context.ts) hands them these `fields` as before. Every route with a schema
 * (`schemaRoute`, gateway/schema/beecloud-schema.ts) is checked by Fastify's validation instead; once the last route
 * has its schemas, delete this file.
 */
/**
 * Reads the typed fields of one REST request (a JSON body, a `para` JSON or plain query parameters).
 * Every refusal is a `BeeCloudError` naming the field: MISS_PARAM when a required field is absent,
 * PARAM_INVALID when it has the wrong type or shape. Plain query parameters are all strings, so for them
 * numbers and booleans are also accepted in their text form ("10", "true").
 */
import { BeeCloudError } from '../errors/result-codes.ts';

export type RequestSource = 'json' | 'query';

export interface StringRule {
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  /** Says what the pattern requires, for err_detail. */
  patternText?: string;
}

export interface IntegerRule {
  min?: number;
  max?: number;
}

/** A flat map of primitives, as BeeCloud's `optional` and `analysis`. */
export type FlatMap = Record<string, string | number | boolean | null>;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export class RequestFields {
  constructor(
    readonly values: Record<string, unknown>,
    readonly source: RequestSource,
  ) {}

  has(name: string): boolean {
    const value = this.values[name];
    return value !== undefined && value !== null && value !== '';
  }

  requiredString(name: string, rule: StringRule = {}): string {
    if (!this.has(name)) throw new BeeCloudError('MISS_PARAM', name, 'is required');
    return this.checkString(name, this.values[name], rule);
  }

  optionalString(name: string, rule: StringRule = {}): string | undefined {
    if (!this.has(name)) return undefined;
    return this.checkString(name, this.values[name], rule);
  }

  requiredInteger(name: string, rule: IntegerRule = {}): number {
    if (!this.has(name)) throw new BeeCloudError('MISS_PARAM', name, 'is required');
    return this.checkInteger(name, this.values[name], rule);
  }

  optionalInteger(name: string, rule: IntegerRule = {}): number | undefined {
    if (!this.has(name)) return undefined;
    return this.checkInteger(name, this.values[name], rule);
  }

  requiredBoolean(name: string): boolean {
    if (!this.has(name)) throw new BeeCloudError('MISS_PARAM', name, 'is required');
    return this.checkBoolean(name, this.values[name]);
  }

  optionalBoolean(name: string): boolean | undefined {
    if (!this.has(name)) return undefined;
    return this.checkBoolean(name, this.values[name]);
  }

  /** A flat `{key: primitive}` map; a JSON string of one is accepted too (some SDKs send it so). */
  optionalFlatMap(name: string, maxKeys = 50): FlatMap | undefined {
    if (!this.has(name)) return undefined;
    let value = this.values[name];
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch {
        throw new BeeCloudError('PARAM_INVALID', name, 'must be a JSON object of {key: value}');
      }
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BeeCloudError('PARAM_INVALID', name, 'must be an object of {key: value}');
    }
    const entries = Object.entries(value);
    if (entries.length > maxKeys)
      throw new BeeCloudError('PARAM_INVALID', name, `must have at most ${maxKeys} keys`);
    const map: FlatMap = {};
    for (const [key, item] of entries) {
      if (
        item !== null &&
        typeof item !== 'string' &&
        typeof item !== 'number' &&
        typeof item !== 'boolean'
      ) {
        throw new BeeCloudError(
          'PARAM_INVALID',
          name,
          `value of "${key}" must be a string, number or boolean (no nesting)`,
        );
      }
      map[key] = item;
    }
    return map;
  }

  /** A non-empty list of non-empty strings. */
  requiredStringList(name: string, maxItems: number): string[] {
    if (!this.has(name)) throw new BeeCloudError('MISS_PARAM', name, 'is required');
    let value = this.values[name];
    if (typeof value === 'string' && this.source === 'query') value = value.split(',');
    if (!Array.isArray(value)) throw new BeeCloudError('PARAM_INVALID', name, 'must be a list of strings');
    if (value.length === 0) throw new BeeCloudError('MISS_PARAM', name, 'must not be empty');
    if (value.length > maxItems)
      throw new BeeCloudError('PARAM_INVALID', name, `must have at most ${maxItems} items`);
    return value.map((item, index) => {
      if (typeof item !== 'string' || item.trim() === '') {
        throw new BeeCloudError('PARAM_INVALID', name, `item ${index} must be a non-empty string`);
      }
      return item.trim();
    });
  }

  private checkString(name: string, value: unknown, rule: StringRule): string {
    if (typeof value !== 'string') throw new BeeCloudError('PARAM_INVALID', name, 'must be a string');
    if (rule.minLength !== undefined && value.length < rule.minLength) {
      throw new BeeCloudError('PARAM_INVALID', name, `must be at least ${rule.minLength} characters`);
    }
    if (rule.maxLength !== undefined && value.length > rule.maxLength) {
      throw new BeeCloudError('PARAM_INVALID', name, `must be at most ${rule.maxLength} characters`);
    }
    if (rule.pattern !== undefined && !rule.pattern.test(value)) {
      throw new BeeCloudError('PARAM_INVALID', name, rule.patternText ?? 'has an invalid format');
    }
    return value;
  }

  private checkInteger(name: string, value: unknown, rule: IntegerRule): number {
    let number: number;
    if (typeof value === 'number') number = value;
    else if (typeof value === 'string' && this.source === 'query' && /^-?\d{1,16}$/.test(value))
      number = Number(value);
    else throw new BeeCloudError('PARAM_INVALID', name, 'must be an integer');
    if (!Number.isInteger(number) || Math.abs(number) > MAX_SAFE) {
      throw new BeeCloudError('PARAM_INVALID', name, 'must be an integer');
    }
    if (rule.min !== undefined && number < rule.min) {
      throw new BeeCloudError('PARAM_INVALID', name, `must be an integer >= ${rule.min}`);
    }
    if (rule.max !== undefined && number > rule.max) {
      throw new BeeCloudError('PARAM_INVALID', name, `must be an integer <= ${rule.max}`);
    }
    return number;
  }

  private checkBoolean(name: string, value: unknown): boolean {
    if (typeof value === 'boolean') return value;
    // SDKs written in loosely typed languages send "true"/"false"; accept the text form everywhere.
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new BeeCloudError('PARAM_INVALID', name, 'must be true or false');
  }
}
