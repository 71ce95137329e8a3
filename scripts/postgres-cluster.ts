/**
 * A throw-away PostgreSQL cluster for tests: `startThrowawayPostgres()` runs `initdb` in a fresh temporary
 * directory, starts `postgres` on a free 127.0.0.1 port and answers its URL; `stop()` shuts the server down
 * (SIGINT, PostgreSQL's "fast" shutdown) and removes the directory. PostgreSQL refuses to run as root, so when the
 * tests run as root the cluster belongs to an ordinary user (`postgres` where Debian's package created it, else
 * `nobody`). With `SPAY_DATABASE_URL` set, that database is used instead and `stop()` leaves it alone.
 *
 * The server binaries are found by `findPostgresBinDir()`; `npm test`'s first step (scripts/test-prerequisites.ts)
 * makes sure there are some.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export interface ThrowawayPostgres {
  /** `postgres://user:password@127.0.0.1:port/postgres` */
  url: string;
  /** Stops the server and removes its files; safe to call twice. */
  stop(): Promise<void>;
}

export interface PostgresSearch {
  /** The one folder to use (default: SPAY_POSTGRES_BIN); when given, nothing else is searched. */
  binDir?: string;
  /** Folders holding one folder per installed version, each with a `bin/` (Debian: /usr/lib/postgresql). */
  versionRoots?: readonly string[];
  /** Folders searched after those, in order (default: the PATH). */
  pathDirs?: readonly string[];
}

const READY_LINE = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const DATABASE_USER = 'spay';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function hasServerBinaries(dir: string): boolean {
  return isExecutable(join(dir, 'postgres')) && isExecutable(join(dir, 'initdb'));
}

/** Numeric order of version folder names: "9.6" < "13" < "15". */
function versionNumber(name: string): number {
  const value = Number.parseFloat(name);
  return Number.isFinite(value) ? value : -1;
}

/**
 * The folder holding the newest PostgreSQL server's `postgres` and `initdb`: SPAY_POSTGRES_BIN when set (and only
 * that), else first under the version roots
 * (`/usr/lib/postgresql/<version>/bin`, newest version first), then on the PATH (resolved through symbolic links,
 * so the server finds its own share files). `undefined` when there is none.
 */
export function findPostgresBinDir(search: PostgresSearch = {}): string | undefined {
  const only = search.binDir ?? process.env.SPAY_POSTGRES_BIN;
  if (only) return hasServerBinaries(only) ? only : undefined;
  const versionRoots = search.versionRoots ?? ['/usr/lib/postgresql'];
  const pathDirs = search.pathDirs ?? (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const root of versionRoots) {
    let versions: string[];
    try {
      versions = readdirSync(root);
    } catch {
      continue;
    }
    versions.sort((a, b) => versionNumber(b) - versionNumber(a));
    for (const version of versions) {
      const bin = join(root, version, 'bin');
      if (hasServerBinaries(bin)) return bin;
    }
  }
  for (const dir of pathDirs) {
    if (!hasServerBinaries(dir)) continue;
    const bin = dirname(realpathSync(join(dir, 'postgres')));
    return hasServerBinaries(bin) ? bin : dir;
  }
  return undefined;
}

interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

/** The ordinary user a root process runs the server as: Debian's `postgres` user where it exists, else `nobody`. */
function serverUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const users = new Map<string, OsUser>();
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name && uid && gid) users.set(name, { name, uid: Number(uid), gid: Number(gid) });
  }
  const user = users.get('postgres') ?? users.get('nobody');
  if (!user || user.uid === 0) {
    throw new Error('PostgreSQL will not run as root, and there is neither a "postgres" nor a "nobody" user');
  }
  return user;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The last few lines a process wrote, for an error message. */
class OutputTail {
  private text = '';
  add(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-4000);
  }
  lastLines(count = 3): string {
    return this.text.trim().split('\n').slice(-count).join(' | ');
  }
  includes(fragment: string): boolean {
    return this.text.includes(fragment);
  }
}

function spawnAs(user: OsUser | undefined, command: string, args: string[], cwd: string): ChildProcess {
  return spawn(command, args, {
    cwd,
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
}

async function runInitdb(
  bin: string,
  user: OsUser | undefined,
  dir: string,
  password: string,
): Promise<string> {
  const dataDir = join(dir, 'data');
  const passwordFile = join(dir, 'password');
  await writeFile(passwordFile, password, { mode: 0o600 });
  if (user) await chown(passwordFile, user.uid, user.gid);
  const initdb = spawnAs(
    user,
    join(bin, 'initdb'),
    [
      '--pgdata',
      dataDir,
      '--username',
      DATABASE_USER,
      '--pwfile',
      passwordFile,
      '--auth',
      'scram-sha-256',
      '--encoding',
      'UTF8',
      '--locale',
      'C',
      '--no-sync',
    ],
    dir,
  );
  const output = new OutputTail();
  initdb.stdout!.on('data', (chunk: Buffer) => output.add(chunk));
  initdb.stderr!.on('data', (chunk: Buffer) => output.add(chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    initdb.once('error', reject);
    initdb.once('close', resolve);
  });
  await rm(passwordFile, { force: true });
  if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${output.lastLines()}`);
  return dataDir;
}

interface RunningServer {
  server: ChildProcess;
  exited: Promise<void>;
}

/** Starts the server and resolves once it says it accepts connections; rejects (with its last words) if it exits. */
function startServer(
  bin: string,
  user: OsUser | undefined,
  dir: string,
  dataDir: string,
  port: number,
): Promise<RunningServer & { output: OutputTail }> {
  const server = spawnAs(
    user,
    join(bin, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dir}`,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'lc_messages=C',
    ],
    dir,
  );
  const output = new OutputTail();
  const exited = new Promise<void>((resolve) => server.once('close', () => resolve()));
  server.stdout!.on('data', (chunk: Buffer) => output.add(chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      server.kill('SIGQUIT');
      reject(
        new Error(
          `postgres did not accept connections within ${START_TIMEOUT_MS / 1000} s: ${output.lastLines()}`,
        ),
      );
    }, START_TIMEOUT_MS);
    server.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    server.stderr!.on('data', (chunk: Buffer) => {
      output.add(chunk);
      if (output.includes(READY_LINE)) {
        clearTimeout(timer);
        resolve({ server, exited, output });
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`postgres exited during start-up: ${output.lastLines()}`));
    });
  });
}

/** Throws when there is no PostgreSQL server to run, saying how to get one. */
function requireBinDir(): string {
  const bin = findPostgresBinDir();
  if (!bin) {
    throw new Error(
      'No PostgreSQL server (initdb, postgres) in SPAY_POSTGRES_BIN, /usr/lib/postgresql/*/bin or on the PATH: ' +
        "run `npm run test:prerequisites` (installs Debian's postgresql when run as root), or set SPAY_DATABASE_URL",
    );
  }
  return bin;
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const external = process.env.SPAY_DATABASE_URL;
  if (external) return { url: external, stop: async () => {} };

  const bin = requireBinDir();
  const user = serverUser();
  const dir = await mkdtemp(join(tmpdir(), 'spay-postgres-'));
  let running: (RunningServer & { port: number }) | undefined;
  const removeOnExit = () => {
    if (running && running.server.exitCode === null) running.server.kill('SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', removeOnExit);
  try {
    if (user) await chown(dir, user.uid, user.gid);
    const password = randomBytes(18).toString('base64url');
    const dataDir = await runInitdb(bin, user, dir, password);
    // Another process may take the free port between the check and the bind: then try another one.
    for (let attempt = 1; !running; attempt++) {
      const port = await freePort();
      try {
        running = { ...(await startServer(bin, user, dir, dataDir, port)), port };
      } catch (error) {
        if (attempt >= 3 || !String((error as Error).message).includes('could not bind')) throw error;
      }
    }
    const server = running;
    let stopping: Promise<void> | undefined;
    return {
      url: `postgres://${DATABASE_USER}:${password}@127.0.0.1:${server.port}/postgres`,
      stop() {
        stopping ??= (async () => {
          if (server.server.exitCode === null && server.server.signalCode === null) {
            server.server.kill('SIGINT');
            const killTimer = setTimeout(() => server.server.kill('SIGQUIT'), STOP_TIMEOUT_MS);
            await server.exited;
            clearTimeout(killTimer);
          }
          await rm(dir, { recursive: true, force: true });
          process.removeListener('exit', removeOnExit);
        })();
        return stopping;
      },
    };
  } catch (error) {
    process.removeListener('exit', removeOnExit);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
