/** Tiny argument parsing for the gateway's CLIs: positional words and `--name value` / `--name=value` options. */

export interface CliArgs {
  positional: string[];
  options: Map<string, string>;
}

export function parseCliArgs(argv: string[]): CliArgs {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq !== -1) {
      options.set(arg.slice(2, eq), arg.slice(eq + 1));
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`);
      options.set(arg.slice(2), next);
      i += 1;
    }
  }
  return { positional, options };
}

export class CliError extends Error {}
