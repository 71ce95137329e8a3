import { describe, expect, it } from 'vitest';
import { parseRoute, routePath } from './routes.ts';

describe('routes', () => {
  it('reads every page from its path and writes it back', () => {
    expect(parseRoute('/console/')).toEqual({ page: 'dashboard' });
    expect(parseRoute('/console/bills')).toEqual({ page: 'bills' });
    expect(parseRoute('/console/bills/b%2F1')).toEqual({ page: 'bill', billId: 'b/1' });
    expect(routePath({ page: 'bill', billId: 'b/1' })).toBe('/console/bills/b%2F1');
    for (const page of ['apps', 'button', 'credentials', 'refunds', 'webhooks', 'audit'] as const) {
      expect(parseRoute(routePath({ page }))).toEqual({ page });
    }
  });
  it('knows an unknown path', () => {
    expect(parseRoute('/console/nope')).toEqual({ page: 'not-found' });
    expect(parseRoute('/elsewhere')).toEqual({ page: 'not-found' });
  });
});
