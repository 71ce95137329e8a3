/**
 * Console operators and their sessions (docs/console-api.md § Authentication):
 * - passwords hashed with argon2id (`@node-rs/argon2`: m = 19 MiB, t = 2, p = 1, OWASP's minimum);
 * - a session is 32 random bytes in the `spay_console` cookie; the store keeps only its SHA-256, so a copy of the
 *   database signs nobody in. It ends after `idleMs` without a request or `absoluteMs` after sign-in;
 * - the CSRF token is HMAC-SHA256(session value, "spay-console-csrf"): bound to the session, never stored;
 * - failed sign-ins are counted per account and per IP in the store (shared by every instance) and refused for
 *   the rest of the window once over the limit, even with the right password.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Options as Argon2Options } from '@node-rs/argon2';
import { lazyModule } from '../lazy-module.ts';
import type { GatewayStore } from '../storage/store.ts';
import type { OperatorSession } from '../storage/console-store.ts';
import { ConsoleError } from './console-errors.ts';

/** `@node-rs/argon2` (a native module), loaded at the first password hashed or checked. */
const argon2 = lazyModule<typeof import('@node-rs/argon2')>('@node-rs/argon2');

/** argon2id (algorithm 2 of @node-rs/argon2's const enum) with OWASP's minimum cost. */
const argon2Options: Argon2Options = {
  algorithm: 2 as Argon2Options['algorithm'],
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return argon2().hash(password, argon2Options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await argon2().verify(passwordHash, password);
  } catch {
    return false;
  }
}

export const OPERATOR_NAME = /^[A-Za-z0-9._@-]{1,64}$/;
export const MIN_PASSWORD_LENGTH = 10;

/** Checks a new operator's name and password; the message names what is wrong. */
export function operatorProblem(
  name: string,
  password: string,
): { field: 'name' | 'password'; message: string } | undefined {
  if (!OPERATOR_NAME.test(name)) {
    return { field: 'name', message: 'must be 1–64 characters of letters, digits, . _ @ -' };
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    return { field: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` };
  }
  if (password.length > 1024) return { field: 'password', message: 'must be at most 1024 characters' };
  return undefined;
}

/** Creates an operator (the admin CLI, `npm start`'s demo operator); 'exists' when the name is taken. */
export async function createOperator(
  store: Pick<GatewayStore, 'console'>,
  name: string,
  password: string,
  now = Date.now(),
): Promise<'created' | 'exists'> {
  const problem = operatorProblem(name, password);
  if (problem) throw new ConsoleError('invalid', problem.message, problem.field);
  return store.console.insertOperator({
    id: randomUUID(),
    name,
    passwordHash: await hashPassword(password),
    createdAt: now,
  });
}

export interface ConsoleSecurityOptions {
  /** A session ends after this long without a request (default 30 min). */
  idleMs?: number;
  /** … and this long after sign-in whatever happens (default 12 h). */
  absoluteMs?: number;
  /** Failed sign-ins per account per window before refusing (default 5). */
  accountFailures?: number;
  /** Failed sign-ins per IP per window before refusing (default 20). */
  ipFailures?: number;
  /** The throttling window (default 15 min). */
  failureWindowMs?: number;
  now?: () => number;
}

export const SESSION_COOKIE = 'spay_console';

export interface SignedIn {
  /** The cookie value (never stored). */
  token: string;
  session: OperatorSession;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class ConsoleSessions {
  readonly idleMs: number;
  readonly absoluteMs: number;
  private readonly accountFailures: number;
  private readonly ipFailures: number;
  private readonly windowMs: number;
  readonly now: () => number;
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly store: GatewayStore,
    options: ConsoleSecurityOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 30 * 60_000;
    this.absoluteMs = options.absoluteMs ?? 12 * 3_600_000;
    this.accountFailures = options.accountFailures ?? 5;
    this.ipFailures = options.ipFailures ?? 20;
    this.windowMs = options.failureWindowMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
  }

  private async throttled(keys: Array<{ key: string; limit: number }>, now: number): Promise<void> {
    for (const { key, limit } of keys) {
      const { failures, windowStart } = await this.store.console.failuresOf(key, now, this.windowMs);
      if (failures >= limit) {
        const retryAfterMs = windowStart + this.windowMs - now;
        throw new ConsoleError('throttled', 'too many failed sign-ins; try again later', undefined, {
          retryAfterMs,
        });
      }
    }
  }

  /** Signs an operator in, or throws `unauthenticated` (same words for an unknown name and a wrong password). */
  async signIn(name: string, password: string, ip: string): Promise<SignedIn> {
    const now = this.now();
    const accountKey = `account:${name.toLowerCase()}`;
    const ipKey = `ip:${ip}`;
    await this.throttled(
      [
        { key: accountKey, limit: this.accountFailures },
        { key: ipKey, limit: this.ipFailures },
      ],
      now,
    );
    const operator = await this.store.console.findOperatorByName(name);
    // An unknown name costs the same hash as a known one: the timing does not tell which names exist.
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    const ok = await verifyPassword(operator?.passwordHash ?? (await this.dummyHash), password);
    if (!operator || !ok) {
      await this.store.transaction(async (tx) => {
        await tx.console.recordFailure(accountKey, now, this.windowMs);
        await tx.console.recordFailure(ipKey, now, this.windowMs);
      });
      throw new ConsoleError('unauthenticated', 'wrong name or password');
    }
    const token = randomBytes(32).toString('base64url');
    const session: OperatorSession = {
      idHash: sha256(token),
      operatorId: operator.id,
      operatorName: operator.name,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.absoluteMs,
    };
    await this.store.transaction(async (tx) => {
      await tx.console.clearFailures(accountKey);
      await tx.console.insertSession(session);
      await tx.console.audit({
        at: now,
        operator: operator.name,
        appId: null,
        action: 'session.signin',
        detail: { ip },
      });
    });
    return { token, session };
  }

  /** The live session of a cookie value (its idle clock restarted), or undefined. Expired ones are deleted. */
  async resolve(token: string | undefined): Promise<OperatorSession | undefined> {
    if (!token || token.length > 128) return undefined;
    const idHash = sha256(token);
    const session = await this.store.console.findSession(idHash);
    if (!session) return undefined;
    const now = this.now();
    if (session.expiresAt <= now || session.lastSeenAt + this.idleMs <= now) {
      await this.store.console.deleteSession(idHash);
      return undefined;
    }
    // The idle clock moves at most every 5 s: not one write per request.
    if (now - session.lastSeenAt >= 5_000) {
      await this.store.console.touchSession(idHash, now);
      session.lastSeenAt = now;
    }
    return session;
  }

  async signOut(session: OperatorSession): Promise<void> {
    const now = this.now();
    await this.store.transaction(async (tx) => {
      await tx.console.deleteSession(session.idHash);
      await tx.console.audit({
        at: now,
        operator: session.operatorName,
        appId: null,
        action: 'session.signout',
        detail: {},
      });
    });
  }

  /** The session's CSRF token: bound to the cookie value, so it changes with every session. */
  csrfToken(token: string): string {
    return createHmac('sha256', token).update('spay-console-csrf').digest('base64url');
  }

  csrfMatches(token: string, sent: string | undefined): boolean {
    return typeof sent === 'string' && constantTimeEqual(this.csrfToken(token), sent);
  }

  /** When the session ends if idle from now, and at the latest. */
  ends(session: OperatorSession): { idleExpiresAt: number; expiresAt: number } {
    return {
      idleExpiresAt: Math.min(session.lastSeenAt + this.idleMs, session.expiresAt),
      expiresAt: session.expiresAt,
    };
  }

  /** Deletes ended sessions (the module's sweep). */
  async sweep(): Promise<number> {
    const now = this.now();
    return this.store.console.deleteExpiredSessions(now, now - this.idleMs);
  }
}
