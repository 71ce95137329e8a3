/** `npm run simulators` starts every channel simulator, prints where each listens, and stops on SIGTERM. */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { simulatorStarters } from './starters.ts';

function getJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('npm run simulators', () => {
  it('starts each simulator on its port with its control API, and stops on SIGTERM', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const starter of simulatorStarters) env[starter.portVariable] = '0';
    const child = spawn(process.execPath, ['--import', 'tsx', 'simulators/main.ts'], { env });
    let output = '';
    const urls = await new Promise<string[]>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const found = [...output.matchAll(/(http:\/\/127\.0\.0\.1:\d+) {2}\(control API/g)].map((m) => m[1]!);
        if (found.length === simulatorStarters.length) resolve(found);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    for (const starter of simulatorStarters) expect(output).toContain(starter.name);
    for (const url of urls) {
      const orders = await getJson(`${url}/_sim/orders`);
      expect(orders.status).toBe(200);
    }
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});
