import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { buildGateway } from '/work/wt/ops18/gateway/server.ts';
const built = await buildGateway({ dataDir: mkdtempSync(join(tmpdir(), 'oa-')) });
await built.app.ready();
const res = await built.app.inject({ method: 'GET', url: '/openapi.json' });
const doc = res.json();
console.log(Object.keys(doc.paths).length, Object.keys(doc.paths).join('\n'));
const v = new Validator();
const r = await v.validate(doc);
console.log(JSON.stringify(r, null, 1).slice(0, 3000));
const docs = await built.app.inject({ method: 'GET', url: '/docs' });
console.log(docs.statusCode, docs.headers['content-security-policy'], docs.body.length);

await built.close();
