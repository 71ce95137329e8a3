import { describe, expect, it } from 'vitest';
import { ResponseLog } from './response-log.ts';

describe('the response log’s secret scan', () => {
  it('finds a secret in a body or a header, and a whsec_ key without its prefix', () => {
    const log = new ResponseLog();
    log.record('GET /a', 'nothing here');
    log.record('GET /b', 'leaked app-secret-1 in a page');
    log.record('GET /c', '', { 'x-debug': 'master-secret-2' });
    log.record('GET /d', 'key c2VjcmV0LWtleQ== printed');
    const leaks = log.leaks(['app-secret-1', 'master-secret-2', 'whsec_c2VjcmV0LWtleQ==']);
    expect(leaks.map((leak) => leak.source)).toEqual(['GET /b', 'GET /c', 'GET /d']);
    expect(leaks.every((leak) => leak.secret.endsWith('…') && leak.secret.length <= 7)).toBe(true);
  });

  it('reports nothing when no response carries a secret', () => {
    const log = new ResponseLog();
    log.record('GET /a', '{"result_code":0}', new Headers({ 'content-type': 'application/json' }));
    expect(log.leaks(['app-secret-1'])).toEqual([]);
  });
});
