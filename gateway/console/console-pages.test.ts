import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConsolePages } from './console-pages.ts';

describe('console pages', () => {
  let directory: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'spay-console-'));
    await mkdir(join(directory, 'assets'));
    await writeFile(join(directory, 'index.html'), '<!doctype html><title>console</title>');
    await writeFile(join(directory, 'preview.html'), '<!doctype html><title>preview</title>');
    await writeFile(join(directory, 'assets', 'index-AbC123.js'), 'console.log(1)');
    await writeFile(join(directory, 'secret.txt'), 'not an asset');
    app = Fastify();
    registerConsolePages(app, directory);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('serves the app for every console path with a strict CSP and no caching', async () => {
    for (const url of ['/console/', '/console/bills/abc', '/console/apps?x=1']) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('<title>console</title>');
      expect(response.headers['cache-control']).toBe('no-store');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
    }
  });

  it('redirects /console to /console/', async () => {
    const response = await app.inject({ url: '/console' });
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe('/console/');
  });

  it('serves hashed assets for a year and nothing outside assets/', async () => {
    const asset = await app.inject({ url: '/console/assets/index-AbC123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of [
      '/console/assets/..%2Fsecret.txt',
      '/console/assets/missing-1.js',
      '/console/assets/index-AbC123.exe',
    ]) {
      expect((await app.inject({ url })).statusCode).toBe(404);
    }
  });

  it('lets only the console frame the preview', async () => {
    const response = await app.inject({ url: '/console/preview.html' });
    expect(response.body).toContain('<title>preview</title>');
    expect(String(response.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
  });

  it('answers an unknown console API path with JSON 404, not the app', async () => {
    const response = await app.inject({ url: '/console/api/nothing' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });

  it('says the console is not built when dist/console is missing', async () => {
    const bare = Fastify();
    registerConsolePages(bare, join(directory, 'nowhere'));
    const response = await bare.inject({ url: '/console/' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build');
    await bare.close();
  });
});
