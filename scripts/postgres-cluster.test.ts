import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findPostgresBinDir, startThrowawayPostgres } from './postgres-cluster.ts';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('findPostgresBinDir', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A folder tree with fake executables named `postgres` and `initdb` in each given bin folder. */
  function fakeInstall(binDirs: string[]): string {
    const root = mkdtempSync(join(tmpdir(), 'spay-pgbin-'));
    made.push(root);
    for (const bin of binDirs) {
      mkdirSync(join(root, bin), { recursive: true });
      for (const name of ['postgres', 'initdb']) {
        writeFileSync(join(root, bin, name), '#!/bin/sh\n');
        chmodSync(join(root, bin, name), 0o755);
      }
    }
    return root;
  }

  it('finds nothing where there is nothing', () => {
    expect(
      findPostgresBinDir({ versionRoots: ['/nonexistent/postgresql'], pathDirs: ['/nonexistent/bin'] }),
    ).toBe(undefined);
  });

  it('takes the newest version under a version root, in numeric order', () => {
    const root = fakeInstall(['9.6/bin', '15/bin', '13/bin']);
    expect(findPostgresBinDir({ versionRoots: [root], pathDirs: [] })).toBe(join(root, '15', 'bin'));
  });

  it('skips a version folder without initdb', () => {
    const root = fakeInstall(['13/bin']);
    mkdirSync(join(root, '16', 'bin'), { recursive: true });
    writeFileSync(join(root, '16', 'bin', 'postgres'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findPostgresBinDir({ versionRoots: [root], pathDirs: [] })).toBe(join(root, '13', 'bin'));
  });

  it('falls back to the PATH and follows a symbolic link to the real bin folder', () => {
    const root = fakeInstall(['real/bin', 'path']);
    rmSync(join(root, 'path', 'postgres'));
    symlinkSync(join(root, 'real', 'bin', 'postgres'), join(root, 'path', 'postgres'));
    expect(
      findPostgresBinDir({
        versionRoots: ['/nonexistent'],
        pathDirs: ['/nonexistent/bin', join(root, 'path')],
      }),
    ).toBe(join(root, 'real', 'bin'));
  });
});

describe('startThrowawayPostgres', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('starts a cluster that answers queries, owned by an ordinary user, and stop() frees the port and the files', async () => {
    vi.stubEnv('SPAY_DATABASE_URL', undefined);
    const cluster = await startThrowawayPostgres();
    const url = new URL(cluster.url);
    expect(url.hostname).toBe('127.0.0.1');
    const port = Number(url.port);
    let dataDir: string;
    const client = new pg.Client({ connectionString: cluster.url });
    try {
      await client.connect();
      const one = await client.query<{ one: number }>('select 1 as one');
      expect(one.rows).toEqual([{ one: 1 }]);
      const settings = await client.query<{ data_directory: string; fsync: string }>(
        "select current_setting('data_directory') as data_directory, current_setting('fsync') as fsync",
      );
      dataDir = settings.rows[0]!.data_directory;
      expect(settings.rows[0]!.fsync).toBe('off');
      // PostgreSQL refuses root: the data belongs to whoever runs the server, never root.
      expect(statSync(dataDir).uid).not.toBe(0);
    } finally {
      await client.end();
      await cluster.stop();
    }
    expect(await portIsFree(port)).toBe(true);
    expect(existsSync(dataDir)).toBe(false);
    await cluster.stop(); // a second stop is harmless
  }, 60_000);

  it('refuses a wrong password (the cluster is not open to anyone on the machine)', async () => {
    vi.stubEnv('SPAY_DATABASE_URL', undefined);
    const cluster = await startThrowawayPostgres();
    try {
      const url = new URL(cluster.url);
      url.password = 'not-the-password';
      const client = new pg.Client({ connectionString: url.href });
      await expect(client.connect()).rejects.toThrow(/password authentication failed/);
      await client.end().catch(() => {});
    } finally {
      await cluster.stop();
    }
  }, 60_000);

  it('answers SPAY_DATABASE_URL as it is when set, and stop() leaves that database alone', async () => {
    vi.stubEnv('SPAY_DATABASE_URL', 'postgres://someone:secret@db.example.com:5432/spay');
    const cluster = await startThrowawayPostgres();
    expect(cluster.url).toBe('postgres://someone:secret@db.example.com:5432/spay');
    await expect(cluster.stop()).resolves.toBeUndefined();
  });
});
