/**
 * `npm run admin -- <command>`: the merchant console's operators, in SPAY_DATA_DIR (./data) or SPAY_DATABASE_URL.
 *   create-user NAME [--password-stdin]    (prompts for the password twice without echo, or reads one line of stdin)
 *   set-password NAME [--password-stdin]
 *   list-users
 * Passwords: at least 10 characters, hashed with argon2id. Output is JSON on stdout (never the password); errors go
 * to stderr with exit code 1 (2 for usage errors).
 */
import { resolve } from 'node:path';
import { createOperator, hashPassword, operatorProblem } from '../console/console-auth.ts';
import { ConsoleError } from '../console/console-errors.ts';
import { openStore, type StoreLocation } from '../storage/store.ts';
import { CliError } from './cli-args.ts';

const usage = `usage: npm run admin -- create-user NAME [--password-stdin]
       npm run admin -- set-password NAME [--password-stdin]
       npm run admin -- list-users`;

/** Reads the password: one line of stdin with --password-stdin, else a no-echo prompt (twice) on a terminal. */
export async function readPassword(
  fromStdin: boolean,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    let text = '';
    for await (const chunk of input) text += String(chunk);
    return text.replace(/\r?\n$/, '');
  }
  const ask = (question: string) =>
    new Promise<string>((done) => {
      const stdin = process.stdin;
      process.stderr.write(question);
      stdin.setRawMode(true);
      stdin.resume();
      let typed = '';
      const onData = (data: Buffer) => {
        for (const char of data.toString('utf8')) {
          if (char === '\r' || char === '\n') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            process.stderr.write('\n');
            done(typed);
            return;
          }
          if (char === '\u0003') process.exit(130);
          typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
        }
      };
      stdin.on('data', onData);
    });
  const first = await ask('password: ');
  const second = await ask('again: ');
  if (first !== second) throw new CliError('the passwords differ');
  return first;
}

export async function runAdminCli(
  argv: string[],
  where: StoreLocation,
  password: (fromStdin: boolean) => Promise<string> = readPassword,
): Promise<unknown> {
  const fromStdin = argv.includes('--password-stdin');
  const words = argv.filter((arg) => arg !== '--password-stdin');
  const unknown = words.find((word) => word.startsWith('--'));
  if (unknown) throw new CliError(`unknown option ${unknown}`);
  const [command, name] = words;
  if (command !== 'list-users' && (name === undefined || words.length !== 2)) {
    throw new CliError(command ? `${command} needs exactly one NAME` : 'a command is required');
  }
  if (!['create-user', 'set-password', 'list-users'].includes(command ?? '')) {
    throw new CliError(`unknown command ${command}`);
  }
  const secret = command === 'list-users' ? '' : await password(fromStdin);
  if (command !== 'list-users') {
    const problem = operatorProblem(name!, secret);
    if (problem) throw new CliError(`${problem.field} ${problem.message}`);
  }
  const store = await openStore(where);
  try {
    switch (command) {
      case 'create-user': {
        const created = await createOperator(store, name!, secret);
        if (created === 'exists') throw new Error(`operator ${name} exists (use set-password)`);
        return { created: name };
      }
      case 'set-password': {
        if (!(await store.console.setPassword(name!, await hashPassword(secret)))) {
          throw new Error(`no operator ${name}`);
        }
        return { passwordSet: name };
      }
      default:
        return {
          operators: (await store.console.listOperators()).map((operator) => ({
            name: operator.name,
            createdAt: new Date(operator.createdAt).toISOString(),
            lastSigninAt:
              operator.lastSigninAt === null ? null : new Date(operator.lastSigninAt).toISOString(),
          })),
        };
    }
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runAdminCli(process.argv.slice(2), {
    dataDir: resolve(process.env.SPAY_DATA_DIR || 'data'),
    databaseUrl: process.env.SPAY_DATABASE_URL,
  }).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error instanceof ConsoleError || error instanceof Error ? error.message : String(error));
      if (error instanceof CliError) console.error(usage);
      process.exit(error instanceof CliError ? 2 : 1);
    },
  );
}
