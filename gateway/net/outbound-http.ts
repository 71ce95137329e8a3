/**
 * The gateway's one HTTP client for calls it makes to addresses it does not control: webhooks to merchants and
 * (through the `OutboundHttp` type of channels/channel.ts) calls to the payment channels.
 *
 * - node:http / node:https, not fetch: fetch refuses the Fetch standard's "bad ports" (6000, 6665–6669,
 *   10080 …) and a merchant's receiver may listen on any of them.
 * - The address actually connected to is checked (target-policy.ts): names are resolved through a lookup that
 *   drops internal addresses, and the socket's remote address is checked once connected, so a DNS answer that
 *   changes between the check and the call (rebinding) cannot reach loopback or the private network.
 * - Keep-alive agents (one per client), a connect timeout and a deadline for the whole answer.
 * - Redirects are never followed (a 3xx is an answer like any other; the dispatcher counts it as failed).
 * - At most `maxAnswerBytes` of an answer are read, then the connection is dropped: a receiver answering
 *   400 MB costs the gateway a few KB.
 */
import {
  lookup as dnsLookup,
  type LookupAddress,
  type LookupAllOptions,
  type LookupOneOptions,
} from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { OutboundHttp, OutboundRequest, OutboundResponse } from '../channels/channel.ts';
import { isInternalAddress, targetRefusal } from './target-policy.ts';

export type OutboundErrorCode =
  'REFUSED_TARGET' | 'CONNECT_TIMEOUT' | 'TIMEOUT' | 'TOO_LARGE' | 'ABORTED' | 'NETWORK';

/** A call that got no (usable) answer. `code` says why; the message never carries the request's body. */
export class OutboundHttpError extends Error {
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundHttpError';
  }
}

export interface OutboundHttpOptions {
  /** Allow loopback / private / link-local targets (local development only). */
  allowPrivateTargets: boolean;
  /** How long connecting (DNS + TCP + TLS) may take (default 5 s). */
  connectTimeoutMs?: number;
  /** Sockets per agent across all hosts (default 256). */
  maxSockets?: number;
  /** Name resolution (default: the system's, `dns.lookup`); tests stand in a resolver for DNS. */
  dnsLookup?: (
    hostname: string,
    options: LookupAllOptions,
    callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
  ) => void;
}

export interface OutboundCall extends OutboundRequest {
  /** Deadline for the whole answer, from the start of the call (default 10 s). */
  timeoutMs?: number;
  /** Bytes of the answer kept (default 64 KB). */
  maxAnswerBytes?: number;
  /** What to do with a longer answer: keep the first bytes (`truncate`, webhooks) or fail (`fail`, default). */
  onLargeAnswer?: 'truncate' | 'fail';
  signal?: AbortSignal;
}

export interface OutboundAnswer extends OutboundResponse {
  /** The answer was longer than maxAnswerBytes: `body` is its beginning and the connection was dropped. */
  truncated: boolean;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

export class OutboundHttpClient {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly connectTimeoutMs: number;

  constructor(private readonly options: OutboundHttpOptions) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    const agentOptions = {
      keepAlive: true,
      keepAliveMsecs: 1_000,
      maxTotalSockets: options.maxSockets ?? 256,
      maxFreeSockets: 16,
      scheduling: 'lifo' as const,
    };
    this.httpAgent = new http.Agent(agentOptions);
    this.httpsAgent = new https.Agent(agentOptions);
  }

  get allowPrivateTargets(): boolean {
    return this.options.allowPrivateTargets;
  }

  /** The client as channel adapters take it (answers over 64 KB fail). */
  readonly http: OutboundHttp = (request) => this.send(request);

  /** Resolves names, refusing internal addresses unless allowed (passed to net.connect as `lookup`). */
  private readonly guardedLookup = (
    hostname: string,
    lookupOptions: LookupOneOptions | LookupAllOptions,
    callback: LookupCallback,
  ): void => {
    const resolveName = this.options.dnsLookup ?? dnsLookup;
    resolveName(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const allowed = this.options.allowPrivateTargets
        ? addresses
        : addresses.filter((entry) => !isInternalAddress(entry.address));
      if (allowed.length === 0) {
        const refusal = new OutboundHttpError(
          'REFUSED_TARGET',
          `refused target: ${hostname} resolves to an internal address (${addresses.map((a) => a.address).join(', ')})`,
        ) as OutboundHttpError & NodeJS.ErrnoException;
        refusal.code = 'REFUSED_TARGET';
        return callback(refusal, '');
      }
      if (lookupOptions.all) return callback(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };

  send(call: OutboundCall): Promise<OutboundAnswer> {
    return new Promise<OutboundAnswer>((resolve, reject) => {
      const refusal = targetRefusal(call.url, this.options.allowPrivateTargets);
      if (refusal) {
        reject(new OutboundHttpError('REFUSED_TARGET', `refused target: ${refusal}`));
        return;
      }
      const url = new URL(call.url);
      const timeoutMs = call.timeoutMs ?? 10_000;
      const maxAnswerBytes = call.maxAnswerBytes ?? 64 * 1024;
      const isHttps = url.protocol === 'https:';
      let settled = false;
      let connectTimer: NodeJS.Timeout | undefined;
      const finish = (error: OutboundHttpError | null, answer?: OutboundAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        clearTimeout(connectTimer);
        call.signal?.removeEventListener('abort', onAbort);
        if (error) {
          request.destroy();
          reject(error);
        } else resolve(answer!);
      };
      const headers: Record<string, string> = { ...call.headers };
      if (call.body !== undefined) headers['content-length'] = String(Buffer.byteLength(call.body));
      const request = (isHttps ? https : http).request(url, {
        method: call.method,
        headers,
        agent: isHttps ? this.httpsAgent : this.httpAgent,
        lookup: this.guardedLookup as never,
      });
      const deadline = setTimeout(
        () => finish(new OutboundHttpError('TIMEOUT', `no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onAbort = () => finish(new OutboundHttpError('ABORTED', 'the call was aborted'));
      if (call.signal?.aborted) return onAbort();
      call.signal?.addEventListener('abort', onAbort, { once: true });

      request.on('socket', (socket: Socket) => {
        const checkPeer = () => {
          clearTimeout(connectTimer);
          const peer = socket.remoteAddress;
          if (!this.options.allowPrivateTargets && (!peer || isInternalAddress(peer))) {
            socket.destroy();
            finish(
              new OutboundHttpError(
                'REFUSED_TARGET',
                `refused target: connected to internal address ${peer ?? '?'}`,
              ),
            );
          }
        };
        if (socket.pending || socket.connecting) {
          connectTimer = setTimeout(
            () =>
              finish(
                new OutboundHttpError(
                  'CONNECT_TIMEOUT',
                  `could not connect within ${this.connectTimeoutMs} ms`,
                ),
              ),
            this.connectTimeoutMs,
          );
          socket.once('connect', checkPeer);
        } else {
          checkPeer();
        }
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (error instanceof OutboundHttpError) return finish(error);
        finish(new OutboundHttpError('NETWORK', error.code ?? error.message));
      });
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const answer = (body: Buffer, truncated: boolean): OutboundAnswer => ({
          status: response.statusCode ?? 0,
          headers: Object.fromEntries(
            Object.entries(response.headers).map(([name, value]) => [
              name,
              Array.isArray(value) ? value.join(', ') : (value ?? ''),
            ]),
          ),
          body: body.toString('utf8'),
          truncated,
        });
        response.on('data', (chunk: Buffer) => {
          if (settled) return;
          if (kept + chunk.length <= maxAnswerBytes) {
            chunks.push(chunk);
            kept += chunk.length;
            return;
          }
          // Over the cap: keep the beginning, drop the connection (never reuse a socket with unread bytes).
          chunks.push(chunk.subarray(0, maxAnswerBytes - kept));
          response.destroy();
          request.destroy();
          if (call.onLargeAnswer === 'truncate') finish(null, answer(Buffer.concat(chunks), true));
          else finish(new OutboundHttpError('TOO_LARGE', `answer larger than ${maxAnswerBytes} bytes`));
        });
        response.on('end', () => finish(null, answer(Buffer.concat(chunks), false)));
        response.on('error', () =>
          finish(new OutboundHttpError('NETWORK', 'the connection closed before the answer ended')),
        );
      });
      request.end(call.body);
    });
  }

  /** Closes idle keep-alive connections (the gateway is stopping). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
