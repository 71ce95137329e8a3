/** Chromium for benchmarks and reliability runs: the system's /usr/bin/chromium when present, quiet flags. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
}
