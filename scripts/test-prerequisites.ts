/**
 * `npm test`'s first step (`npm run test:prerequisites`): makes sure this machine has what the tests need, so that
 * `npm test` works on a fresh machine and never fails deep inside a suite (or skips one) for a missing program.
 *
 * For each requirement of TEST_REQUIREMENTS, in this order:
 *   1. what is already there: Debian's /usr/bin/chromium (or SPAY_CHROMIUM) or Playwright's browser; a PostgreSQL
 *      server in SPAY_POSTGRES_BIN, /usr/lib/postgresql/<version>/bin or on the PATH (or SPAY_DATABASE_URL);
 *      CJK fonts that fontconfig lists for Chinese (`fc-list :lang=zh`);
 *   2. else installs it: Debian's packages when running as root with apt-get (one `apt-get update`, one
 *      `apt-get install -y` for everything missing), else Playwright's own browser download for Chromium;
 *   3. else stops at once with one line saying what to install and how.
 * With SPAY_TEST_NO_INSTALL=1 it never installs: it prints that one line and exits 1 when something is missing.
 * It prints nothing when everything is there.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPostgresBinDir, type PostgresSearch } from './postgres-cluster.ts';

export type RequirementId = 'chromium' | 'postgresql' | 'cjk-fonts';

export interface Requirement {
  id: RequirementId;
  /** What it is, as the one-line message names it. */
  label: string;
  /** The Debian packages that provide it. */
  debianPackages: readonly string[];
  /** How to get it on a machine without apt-get (a short phrase). */
  elsewhere: string;
  /** Whether Playwright's browser download provides it. */
  playwrightDownload: boolean;
}

/** Everything the tests need from the machine, declared once (the e2e suite, the PostgreSQL store's tests, the zh-CN UI). */
export const TEST_REQUIREMENTS: readonly Requirement[] = [
  {
    id: 'chromium',
    label: 'Chromium',
    debianPackages: ['chromium'],
    elsewhere: 'Chromium with `npx playwright install chromium` (or SPAY_CHROMIUM=/path/to/chromium)',
    playwrightDownload: true,
  },
  {
    id: 'postgresql',
    label: 'a PostgreSQL server',
    debianPackages: ['postgresql'],
    elsewhere:
      "PostgreSQL's server with initdb and postgres on the PATH (or SPAY_POSTGRES_BIN=its bin folder, or SPAY_DATABASE_URL=a database the tests may fill)",
    playwrightDownload: false,
  },
  {
    id: 'cjk-fonts',
    label: 'CJK fonts',
    debianPackages: ['fonts-noto-cjk', 'fontconfig'],
    elsewhere: 'Noto Sans CJK (or any font `fc-list :lang=zh` lists)',
    playwrightDownload: false,
  },
];

export interface Situation {
  /** The requirements not found on this machine. */
  missing: readonly RequirementId[];
  isRoot: boolean;
  hasAptGet: boolean;
  /** SPAY_TEST_NO_INSTALL=1 */
  noInstall: boolean;
}

export type Plan =
  | { action: 'ready' }
  | { action: 'install'; aptPackages: string[]; playwrightDownload: boolean }
  | { action: 'stop'; message: string };

function listed(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

function aptPackagesFor(requirements: readonly Requirement[]): string[] {
  return [...new Set(requirements.flatMap((requirement) => requirement.debianPackages))];
}

/**
 * The one line that says what is missing and exactly how to install it on this machine; `reason` says why
 * installing it here failed, when it was tried.
 */
export function missingMessage(
  missing: readonly Requirement[],
  situation: Omit<Situation, 'missing'>,
  reason?: string,
): string {
  const what = `npm test needs ${listed(missing.map((requirement) => requirement.label))}, missing on this machine`;
  const why = reason ? ` (${reason.replace(/\s+/g, ' ').trim()})` : '';
  const how = situation.hasAptGet
    ? `run \`${situation.isRoot ? '' : 'sudo '}apt-get install -y ${aptPackagesFor(missing).join(' ')}\``
    : `install ${missing.map((requirement) => requirement.elsewhere).join('; ')}`;
  const optOut = situation.noInstall ? ' (SPAY_TEST_NO_INSTALL=1: npm test installs nothing itself)' : '';
  return `${what}${why}: ${how}, then npm test again${optOut}.`;
}

/** What to do about the missing requirements: nothing, install them (how), or stop with the one-line message. */
export function planPrerequisites(
  situation: Situation,
  requirements: readonly Requirement[] = TEST_REQUIREMENTS,
): Plan {
  const missing = requirements.filter((requirement) => situation.missing.includes(requirement.id));
  if (missing.length === 0) return { action: 'ready' };
  if (situation.noInstall) return { action: 'stop', message: missingMessage(missing, situation) };
  if (situation.isRoot && situation.hasAptGet) {
    return { action: 'install', aptPackages: aptPackagesFor(missing), playwrightDownload: false };
  }
  // Without apt, only Playwright's download can help, and only when it covers everything that is missing:
  // otherwise downloading a browser would only delay the same message.
  if (missing.every((requirement) => requirement.playwrightDownload)) {
    return { action: 'install', aptPackages: [], playwrightDownload: true };
  }
  return { action: 'stop', message: missingMessage(missing, situation) };
}

export interface ProbeOptions {
  /** Chromium executables the e2e suite would use (SPAY_CHROMIUM alone when set, else Debian's). */
  chromiumPaths: readonly string[];
  /** Where Playwright's own Chromium is (or would be) installed; undefined when Playwright cannot say. */
  playwrightChromium: () => Promise<string | undefined>;
  postgres: PostgresSearch;
  /** SPAY_DATABASE_URL: an existing database stands in for a local server. */
  databaseUrl: string | undefined;
  /** The fontconfig lister to ask for Chinese fonts. */
  fcList: string;
  platform: NodeJS.Platform;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function hasChromium(options: ProbeOptions): Promise<boolean> {
  if (options.chromiumPaths.some(isExecutable)) return true;
  const playwrightPath = await options.playwrightChromium();
  return playwrightPath !== undefined && isExecutable(playwrightPath);
}

/**
 * Whether Chromium will find Chinese glyphs: macOS and Windows ship CJK fonts (PingFang, Microsoft YaHei); on Linux,
 * whatever fontconfig lists for `:lang=zh`.
 */
export function cjkFontsInstalled(fcList = 'fc-list', platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return true;
  const listing = spawnSync(fcList, [':lang=zh', 'family'], { encoding: 'utf8', timeout: 30_000 });
  return listing.status === 0 && listing.stdout.trim() !== '';
}

/** The requirements this machine lacks. */
export async function findMissing(options: ProbeOptions): Promise<RequirementId[]> {
  const present: Record<RequirementId, boolean> = {
    chromium: await hasChromium(options),
    postgresql: options.databaseUrl !== undefined || findPostgresBinDir(options.postgres) !== undefined,
    'cjk-fonts': cjkFontsInstalled(options.fcList, options.platform),
  };
  return TEST_REQUIREMENTS.map((requirement) => requirement.id).filter((id) => !present[id]);
}

/** The first executable called `name` on the PATH. */
function onPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) {
    if (isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export interface PrerequisiteContext {
  probe: ProbeOptions;
  isRoot: boolean;
  /** apt-get's path, undefined where there is none. */
  aptGet: string | undefined;
  noInstall: boolean;
  /** The command that downloads Playwright's Chromium. */
  playwrightInstall: readonly string[];
  env: NodeJS.ProcessEnv;
  /** A line for the terminal (progress). */
  log(line: string): void;
  /** The one line saying why the tests cannot run. */
  fail(line: string): void;
}

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

export function contextFromEnvironment(env: NodeJS.ProcessEnv = process.env): PrerequisiteContext {
  const require = createRequire(import.meta.url);
  return {
    probe: {
      chromiumPaths: env.SPAY_CHROMIUM ? [env.SPAY_CHROMIUM] : ['/usr/bin/chromium'],
      playwrightChromium: async () => {
        try {
          const { chromium } = await import('@playwright/test');
          return chromium.executablePath();
        } catch {
          return undefined;
        }
      },
      postgres: { pathDirs: (env.PATH ?? '').split(delimiter).filter(Boolean) },
      databaseUrl: env.SPAY_DATABASE_URL || undefined,
      fcList: onPath('fc-list', env.PATH) ?? 'fc-list',
      platform: process.platform,
    },
    isRoot: process.getuid?.() === 0,
    aptGet: process.platform === 'linux' ? onPath('apt-get', env.PATH) : undefined,
    noInstall: env.SPAY_TEST_NO_INSTALL === '1',
    playwrightInstall: [process.execPath, require.resolve('@playwright/test/cli'), 'install', 'chromium'],
    env,
    log: (line) => console.log(line),
    fail: (line) => console.error(line),
  };
}

/** Runs a command with its output kept (not shown); answers why it failed, in a few words, or undefined. */
function run(command: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  const [program, ...args] = command;
  const result = spawnSync(program!, args, {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) return `${command.slice(0, 2).join(' ')}: ${result.error.message}`;
  if (result.status === 0) return undefined;
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').map((line) => line.trim());
  const explanation =
    lines.filter((line) => line.startsWith('E:')).at(-1) ?? lines.filter(Boolean).at(-1) ?? '';
  return `${command.slice(0, 2).join(' ')} failed${explanation ? `: ${explanation.slice(0, 200)}` : ''}`;
}

function installWithApt(context: PrerequisiteContext, packages: readonly string[]): string | undefined {
  const env = { ...context.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Wait for another apt or dpkg run to finish instead of failing on its lock.
  const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
  return (
    run([context.aptGet!, '-qq', ...lockWait, 'update'], env) ??
    run([context.aptGet!, '-y', '-qq', ...lockWait, 'install', ...packages], env)
  );
}

/** Finds or installs what the tests need; false (after the one-line message) when the tests cannot run. */
export async function ensureTestPrerequisites(context: PrerequisiteContext): Promise<boolean> {
  const situation: Situation = {
    missing: await findMissing(context.probe),
    isRoot: context.isRoot,
    hasAptGet: context.aptGet !== undefined,
    noInstall: context.noInstall,
  };
  const plan = planPrerequisites(situation);
  if (plan.action === 'ready') return true;
  if (plan.action === 'stop') {
    context.fail(plan.message);
    return false;
  }
  const started = Date.now();
  const how = plan.playwrightDownload
    ? "Playwright's Chromium download"
    : `apt-get install ${plan.aptPackages.join(' ')}`;
  context.log(
    `npm test: installing what the tests need with ${how} (SPAY_TEST_NO_INSTALL=1 never installs)…`,
  );
  const failure = plan.playwrightDownload
    ? run(context.playwrightInstall, context.env)
    : installWithApt(context, plan.aptPackages);
  const stillMissing = await findMissing(context.probe);
  if (stillMissing.length > 0) {
    const missing = TEST_REQUIREMENTS.filter((requirement) => stillMissing.includes(requirement.id));
    context.fail(missingMessage(missing, situation, failure ?? `${how} did not provide it`));
    return false;
  }
  context.log(`npm test: installed in ${Math.round((Date.now() - started) / 1000)} s.`);
  return true;
}

function isMainModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  ensureTestPrerequisites(contextFromEnvironment()).then(
    (ready) => {
      process.exitCode = ready ? 0 : 1;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`npm test: checking what the tests need failed: ${message.split('\n')[0]}`);
      process.exitCode = 1;
    },
  );
}
