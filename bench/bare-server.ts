/**
 * The baseline for the gateway's throughput: Fastify with nothing of ours, answering `{}` to GET and to a POST
 * with a JSON body, started as a child process exactly like the gateway (127.0.0.1, SPAY_GATEWAY_PORT, same log
 * line), so the ratio between the two shows what spay's own code costs per request.
 */
import Fastify from 'fastify';

const server = Fastify({ logger: false, bodyLimit: 64 * 1024 });
server.get('/bare', async () => ({}));
server.post('/bare', async () => ({}));
await server.listen({
  host: process.env.SPAY_GATEWAY_HOST || '127.0.0.1',
  port: Number(process.env.SPAY_GATEWAY_PORT || 0),
});
const address = server.server.address();
const port = typeof address === 'object' && address !== null ? address.port : 0;
console.log(`bare fastify listening on http://127.0.0.1:${port}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void server.close().then(() => process.exit(0)));
