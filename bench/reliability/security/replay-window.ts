/**
 * A correctly signed app_sign outside the ±5 min window (a replay) is refused naming `timestamp`; a wrong
 * app_sign is refused too.
 */
import { payBody, signedAuth } from '../../lib/rest-requests.ts';
import type { Checks } from '../lib/checks.ts';
import type { SecurityStage } from './stage.ts';

export async function checkReplayWindow(stage: SecurityStage, checks: Checks): Promise<void> {
  const { app, post, json } = stage;
  const replays: string[] = [];
  for (const offsetMs of [-6 * 60_000, 6 * 60_000, -24 * 3600_000]) {
    const body = { ...payBody(app), ...signedAuth(app, 'app', Date.now() + offsetMs) };
    const answer = json((await post('/2/rest/bill', body)).text);
    if (answer.result_code !== 1 || !String(answer.err_detail).startsWith('timestamp'))
      replays.push(`${offsetMs} ms: ${JSON.stringify(answer).slice(0, 120)}`);
  }
  const tamperedSign = json((await post('/2/rest/bill', { ...payBody(app), app_sign: '0'.repeat(32) })).text);
  checks.check(
    'a correctly signed request outside ±5 min is refused (APP_INVALID, timestamp); a wrong app_sign too',
    replays.length === 0 && tamperedSign.result_code === 1,
    `3 stale/future timestamps refused; wrong app_sign → ${String(tamperedSign.result_code)} ${String(tamperedSign.err_detail).slice(0, 60)}` +
      `${replays[0] ? `; problems: ${replays.join(' | ')}` : ''}`,
  );
}
