import { describe, expect, it } from 'vitest';
import { parseOrigins } from './origins.ts';

describe('parseOrigins', () => {
  it('reads one origin per line or comma, dropping blanks', () => {
    expect(parseOrigins(' https://a.example \n\nhttps://b.example, http://127.0.0.1:8080\n')).toEqual([
      'https://a.example',
      'https://b.example',
      'http://127.0.0.1:8080',
    ]);
    expect(parseOrigins('  ')).toEqual([]);
  });
});
