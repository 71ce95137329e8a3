import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ensureTestPrerequisites,
  findMissing,
  planPrerequisites,
  TEST_REQUIREMENTS,
  type PrerequisiteContext,
  type ProbeOptions,
  type Situation,
} from './test-prerequisites.ts';

const everything = ['chromium', 'postgresql', 'cjk-fonts'] as const;
const rootWithApt = { isRoot: true, hasAptGet: true, noInstall: false };
const userWithApt = { isRoot: false, hasAptGet: true, noInstall: false };
const userWithoutApt = { isRoot: false, hasAptGet: false, noInstall: false };

function plan(situation: Situation) {
  return planPrerequisites(situation);
}

function stopMessage(situation: Situation): string {
  const decision = plan(situation);
  if (decision.action !== 'stop') throw new Error(`expected a stop, got ${decision.action}`);
  expect(decision.message).not.toMatch(/\n/); // one line
  return decision.message;
}

describe('the requirement list', () => {
  it('declares Chromium, PostgreSQL and CJK fonts once each, each with its Debian package', () => {
    expect(TEST_REQUIREMENTS.map((requirement) => requirement.id)).toEqual([...everything]);
    expect(TEST_REQUIREMENTS.map((requirement) => requirement.debianPackages[0])).toEqual([
      'chromium',
      'postgresql',
      'fonts-noto-cjk',
    ]);
  });
});

describe('planPrerequisites: present', () => {
  it('does nothing when everything is there, even as root with apt or with SPAY_TEST_NO_INSTALL', () => {
    expect(plan({ missing: [], ...rootWithApt })).toEqual({ action: 'ready' });
    expect(plan({ missing: [], ...userWithoutApt, noInstall: true })).toEqual({ action: 'ready' });
  });
});

describe('planPrerequisites: installable', () => {
  it('as root with apt-get: one apt install of every missing package, no download', () => {
    expect(plan({ missing: [...everything], ...rootWithApt })).toEqual({
      action: 'install',
      aptPackages: ['chromium', 'postgresql', 'fonts-noto-cjk', 'fontconfig'],
      playwrightDownload: false,
    });
  });

  it('as root with apt-get: only what is missing', () => {
    expect(plan({ missing: ['cjk-fonts'], ...rootWithApt })).toEqual({
      action: 'install',
      aptPackages: ['fonts-noto-cjk', 'fontconfig'],
      playwrightDownload: false,
    });
  });

  it("Debian's chromium is preferred to Playwright's download where apt can install it", () => {
    expect(plan({ missing: ['chromium'], ...rootWithApt })).toMatchObject({
      aptPackages: ['chromium'],
      playwrightDownload: false,
    });
  });

  it("without root or without apt-get, a missing browser alone comes from Playwright's download", () => {
    for (const situation of [userWithApt, userWithoutApt, { ...userWithoutApt, isRoot: true }]) {
      expect(plan({ missing: ['chromium'], ...situation })).toEqual({
        action: 'install',
        aptPackages: [],
        playwrightDownload: true,
      });
    }
  });
});

describe('planPrerequisites: neither (stops at once with one line)', () => {
  it('SPAY_TEST_NO_INSTALL=1 never installs, even as root with apt, and says the exact command', () => {
    const message = stopMessage({ missing: [...everything], ...rootWithApt, noInstall: true });
    expect(message).toBe(
      'npm test needs Chromium, a PostgreSQL server and CJK fonts, missing on this machine: ' +
        'run `apt-get install -y chromium postgresql fonts-noto-cjk fontconfig`, then npm test again ' +
        '(SPAY_TEST_NO_INSTALL=1: npm test installs nothing itself).',
    );
  });

  it('SPAY_TEST_NO_INSTALL=1 does not download the browser either', () => {
    expect(stopMessage({ missing: ['chromium'], ...userWithoutApt, noInstall: true })).toContain(
      '`npx playwright install chromium`',
    );
  });

  it('not root on a Debian machine: names the sudo apt-get command without trying a download first', () => {
    const message = stopMessage({ missing: ['chromium', 'postgresql'], ...userWithApt });
    expect(message).toContain('npm test needs Chromium and a PostgreSQL server');
    expect(message).toContain('run `sudo apt-get install -y chromium postgresql`');
    expect(message).not.toContain('fonts-noto-cjk');
  });

  it('no apt-get: says what to install for each missing requirement', () => {
    const message = stopMessage({ missing: ['postgresql', 'cjk-fonts'], ...userWithoutApt, isRoot: true });
    expect(message).not.toContain('apt-get');
    expect(message).toContain('initdb and postgres on the PATH');
    expect(message).toContain('SPAY_DATABASE_URL');
    expect(message).toContain('Noto Sans CJK');
  });
});

describe('findMissing: the probes', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function scratch(): string {
    const dir = mkdtempSync(join(tmpdir(), 'spay-prereq-'));
    made.push(dir);
    return dir;
  }

  function executable(path: string, script = '#!/bin/sh\n'): string {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, script, { mode: 0o755 });
    return path;
  }

  const nothing: ProbeOptions = {
    chromiumPaths: ['/nonexistent/usr/bin/chromium'],
    playwrightChromium: async () => '/nonexistent/ms-playwright/chrome',
    postgres: { versionRoots: ['/nonexistent/usr/lib/postgresql'], pathDirs: ['/nonexistent/bin'] },
    databaseUrl: undefined,
    fcList: '/nonexistent/bin/fc-list',
    platform: 'linux',
  };

  it('finds everything missing where nothing is', async () => {
    expect(await findMissing(nothing)).toEqual([...everything]);
  });

  it("finds Debian's chromium, Playwright's browser, a PostgreSQL version folder and fontconfig's Chinese fonts", async () => {
    const dir = scratch();
    const fcList = executable(join(dir, 'bin', 'fc-list'), '#!/bin/sh\necho "Noto Sans CJK SC"\n');
    executable(join(dir, 'postgresql', '15', 'bin', 'postgres'));
    executable(join(dir, 'postgresql', '15', 'bin', 'initdb'));
    expect(
      await findMissing({
        ...nothing,
        chromiumPaths: [executable(join(dir, 'chromium'))],
        postgres: { versionRoots: [join(dir, 'postgresql')], pathDirs: [] },
        fcList,
      }),
    ).toEqual([]);
    const playwrightChrome = executable(join(dir, 'ms-playwright', 'chrome'));
    expect(await findMissing({ ...nothing, playwrightChromium: async () => playwrightChrome })).not.toContain(
      'chromium',
    );
  });

  it('fontconfig listing no Chinese font means the fonts are missing; SPAY_DATABASE_URL stands in for a server', async () => {
    const dir = scratch();
    const fcList = executable(join(dir, 'fc-list'), '#!/bin/sh\nexit 0\n');
    expect(await findMissing({ ...nothing, fcList, databaseUrl: 'postgres://db.example.com/spay' })).toEqual([
      'chromium',
      'cjk-fonts',
    ]);
  });
});

describe('ensureTestPrerequisites', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A context whose probes look only inside a scratch folder, where nothing is installed yet. */
  function scratchContext(overrides: Partial<PrerequisiteContext>) {
    const dir = mkdtempSync(join(tmpdir(), 'spay-prereq-'));
    made.push(dir);
    const out: string[] = [];
    const err: string[] = [];
    const context: PrerequisiteContext = {
      probe: {
        chromiumPaths: [join(dir, 'usr/bin/chromium')],
        playwrightChromium: async () => undefined,
        postgres: { versionRoots: [join(dir, 'usr/lib/postgresql')], pathDirs: [] },
        databaseUrl: undefined,
        fcList: join(dir, 'usr/bin/fc-list'),
        platform: 'linux',
      },
      isRoot: false,
      aptGet: undefined,
      noInstall: false,
      playwrightInstall: ['/nonexistent/playwright', 'install', 'chromium'],
      env: { PATH: process.env.PATH, SCRATCH: dir },
      log: (line) => out.push(line),
      fail: (line) => err.push(line),
      ...overrides,
    };
    return { dir, context, out, err };
  }

  /**
   * A stand-in for apt-get (the real one cannot be exercised here without removing packages other tests use):
   * it logs how it was called and "installs" by creating the files the probes look for.
   */
  const fakeAptGet = `#!/bin/sh
echo "$DEBIAN_FRONTEND $*" >> "$SCRATCH/apt.log"
case " $* " in *" install "*)
  mkdir -p "$SCRATCH/usr/bin" "$SCRATCH/usr/lib/postgresql/15/bin"
  for f in usr/bin/chromium usr/lib/postgresql/15/bin/postgres usr/lib/postgresql/15/bin/initdb; do
    printf '#!/bin/sh\\n' > "$SCRATCH/$f"; chmod 755 "$SCRATCH/$f"; done
  printf '#!/bin/sh\\necho "Noto Sans CJK SC"\\n' > "$SCRATCH/usr/bin/fc-list"; chmod 755 "$SCRATCH/usr/bin/fc-list";;
esac
`;

  it('prints nothing and answers true when everything is there', async () => {
    const { dir, context, out, err } = scratchContext({ noInstall: true });
    mkdirSync(join(dir, 'usr/bin'), { recursive: true });
    writeFileSync(join(dir, 'usr/bin/chromium'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(dir, 'usr/bin/fc-list'), '#!/bin/sh\necho "Noto Sans CJK SC"\n', { mode: 0o755 });
    context.probe.databaseUrl = 'postgres://db.example.com/spay';
    expect(await ensureTestPrerequisites(context)).toBe(true);
    expect([...out, ...err]).toEqual([]);
  });

  it('as root with apt-get: one quiet, non-interactive update and one install of everything missing', async () => {
    const { dir, context, out, err } = scratchContext({ isRoot: true });
    writeFileSync(join(dir, 'apt-get'), fakeAptGet, { mode: 0o755 });
    context.aptGet = join(dir, 'apt-get');
    expect(await ensureTestPrerequisites(context)).toBe(true);
    expect(readFileSync(join(dir, 'apt.log'), 'utf8').trim().split('\n')).toEqual([
      'noninteractive -qq -o DPkg::Lock::Timeout=600 update',
      'noninteractive -y -qq -o DPkg::Lock::Timeout=600 install chromium postgresql fonts-noto-cjk fontconfig',
    ]);
    expect(err).toEqual([]);
    expect(out).toHaveLength(2);
    expect(out[0]).toContain('apt-get install chromium postgresql fonts-noto-cjk fontconfig');
    expect(out[1]).toMatch(/^npm test: installed in \d+ s\.$/);
  });

  it('a failing apt-get: one line with its error and the command to run', async () => {
    const { dir, context, out, err } = scratchContext({ isRoot: true });
    writeFileSync(
      join(dir, 'apt-get'),
      '#!/bin/sh\necho "Reading package lists..."\necho "E: Unable to locate package chromium" >&2\nexit 100\n',
      { mode: 0o755 },
    );
    context.aptGet = join(dir, 'apt-get');
    expect(await ensureTestPrerequisites(context)).toBe(false);
    expect(out).toHaveLength(1); // the "installing" line
    expect(err).toHaveLength(1);
    expect(err[0]).toContain('E: Unable to locate package chromium');
    expect(err[0]).toContain('run `apt-get install -y chromium postgresql fonts-noto-cjk fontconfig`');
    expect(err[0]).not.toMatch(/\n|\s+at /); // no stack trace
  });

  it('a failing Playwright download (not root): one line naming what to install', async () => {
    const { dir, context, err } = scratchContext({});
    mkdirSync(join(dir, 'usr/bin'), { recursive: true });
    writeFileSync(join(dir, 'usr/bin/fc-list'), '#!/bin/sh\necho "Noto Sans CJK SC"\n', { mode: 0o755 });
    context.probe.databaseUrl = 'postgres://db.example.com/spay';
    expect(await ensureTestPrerequisites(context)).toBe(false);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /^npm test needs Chromium, missing on this machine \(.*ENOENT.*\): install Chromium with `npx playwright install chromium`/,
    );
  });

  it('SPAY_TEST_NO_INSTALL=1 as root with apt-get: never calls apt-get, just the one line', async () => {
    const { dir, context, out, err } = scratchContext({ isRoot: true, noInstall: true });
    writeFileSync(join(dir, 'apt-get'), fakeAptGet, { mode: 0o755 });
    context.aptGet = join(dir, 'apt-get');
    expect(await ensureTestPrerequisites(context)).toBe(false);
    expect(existsSync(join(dir, 'apt.log'))).toBe(false);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toContain('SPAY_TEST_NO_INSTALL=1');
  });
});

describe('npm run test:prerequisites', () => {
  it('with SPAY_TEST_NO_INSTALL=1 on a machine lacking everything: exit 1 within seconds, one line on stderr', () => {
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/test-prerequisites.ts'], {
      encoding: 'utf8',
      env: {
        PATH: '/nonexistent/bin', // no fc-list, no apt-get, no postgres
        SPAY_TEST_NO_INSTALL: '1',
        SPAY_CHROMIUM: '/nonexistent/chromium',
        SPAY_POSTGRES_BIN: '/nonexistent/postgresql/bin',
        PLAYWRIGHT_BROWSERS_PATH: '/nonexistent/ms-playwright',
      },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^npm test needs Chromium, a PostgreSQL server and CJK fonts, missing on this machine: install /,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
