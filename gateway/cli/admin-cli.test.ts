/**
 * `npm run admin`: operators created with an argon2id hash (never the password), refused names and passwords
 * named, a taken name refused, set-password replacing the hash, list-users showing no hash.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../console/console-auth.ts';
import { openStore } from '../storage/store.ts';
import { runAdminCli } from './admin-cli.ts';
import { CliError } from './cli-args.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'spay-admin-cli-'));
  dirs.push(dir);
  return dir;
}

describe('npm run admin', () => {
  it('creates an operator with an argon2id hash, refuses the name again, and sets a new password', async () => {
    const where = { dataDir: await dataDir() };
    const password = 'correct horse battery staple';
    expect(
      await runAdminCli(['create-user', 'alice', '--password-stdin'], where, async () => password),
    ).toEqual({
      created: 'alice',
    });
    await expect(runAdminCli(['create-user', 'alice'], where, async () => password)).rejects.toThrow(
      /exists/,
    );
    expect(await runAdminCli(['set-password', 'alice'], where, async () => 'another long password')).toEqual({
      passwordSet: 'alice',
    });
    const store = await openStore(where);
    try {
      const operator = (await store.console.findOperatorByName('alice'))!;
      expect(operator.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await verifyPassword(operator.passwordHash, 'another long password')).toBe(true);
      expect(await verifyPassword(operator.passwordHash, password)).toBe(false);
    } finally {
      await store.close();
    }
    const listed = JSON.stringify(await runAdminCli(['list-users'], where));
    expect(listed).toContain('"name":"alice"');
    expect(listed).not.toContain('argon2');
  });

  it('names what is wrong with a name or a password, and refuses usage errors', async () => {
    const where = { dataDir: await dataDir() };
    await expect(runAdminCli(['create-user', 'bob'], where, async () => 'short')).rejects.toThrow(
      'password must be at least 10 characters',
    );
    await expect(
      runAdminCli(['create-user', 'b o b'], where, async () => 'long enough password'),
    ).rejects.toThrow(/^name must be/);
    await expect(runAdminCli(['create-user'], where)).rejects.toBeInstanceOf(CliError);
    await expect(runAdminCli(['drop-users'], where)).rejects.toBeInstanceOf(CliError);
    await expect(runAdminCli(['create-user', 'x', '--force'], where)).rejects.toThrow(
      'unknown option --force',
    );
    await expect(
      runAdminCli(['set-password', 'nobody'], where, async () => 'long enough password'),
    ).rejects.toThrow('no operator nobody');
  });
});
