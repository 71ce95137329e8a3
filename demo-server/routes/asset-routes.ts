/** `GET /assets/{file}`: the demo's page scripts and stylesheet (fixed files, read once at start). */
import type { FastifyInstance } from 'fastify';
import { readFile } from 'node:fs/promises';

const ASSETS: Record<string, string> = {
  'product.js': 'text/javascript; charset=utf-8',
  'pay-messages.js': 'text/javascript; charset=utf-8',
  'orders.js': 'text/javascript; charset=utf-8',
  'demo.css': 'text/css; charset=utf-8',
};

export async function registerAssetRoutes(server: FastifyInstance): Promise<void> {
  const contents = new Map<string, string>();
  for (const file of Object.keys(ASSETS)) {
    contents.set(file, await readFile(new URL(`../public/${file}`, import.meta.url), 'utf8'));
  }
  server.get('/assets/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const content = contents.get(file);
    if (content === undefined || !Object.hasOwn(ASSETS, file)) {
      return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    }
    reply.header('cache-control', 'no-cache');
    return reply.type(ASSETS[file]).send(content);
  });
}
