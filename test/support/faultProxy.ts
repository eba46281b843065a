import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
  createServer,
  request,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** The Kinesis operation of a request (`PutRecords`, `GetRecords`, ...), from its X-Amz-Target. */
export type Operation = string;

/** What the proxy breaks. Every field can be changed while it runs with `set`. */
export interface FaultOptions {
  /** Fraction (0..1) of the entries of every PutRecords that fail; the rest are forwarded. */
  putRecordsFailureRate?: number;
  /** ErrorCode of the failed entries; default `ProvisionedThroughputExceededException`. */
  putRecordsErrorCode?: string;
  /** Answer this call with a whole-call ProvisionedThroughputExceededException (HTTP 400). */
  throttle?: (operation: Operation) => boolean;
  /** Answer this call with an HTTP 500 InternalFailure. */
  serverError?: (operation: Operation) => boolean;
  /** Destroy the connection instead of answering. */
  reset?: (operation: Operation) => boolean;
  /** Wait this long before forwarding. */
  delayMs?: (operation: Operation) => number;
  /** Randomness in [0, 1) for the failure draw; default `Math.random`. */
  random?: () => number;
}

/** What went through the proxy. */
export interface FaultStats {
  calls: Record<Operation, number>;
  /** When each call arrived (`performance.now()`, ms), per operation, in arrival order. */
  arrivals: Record<Operation, number[]>;
  /** PutRecords entries refused by the proxy (never forwarded). */
  failedEntries: number;
  /** PutRecords entries forwarded to the emulator. */
  forwardedEntries: number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give it to the client instead of the emulator's endpoint. */
  readonly endpoint: string;
  readonly stats: FaultStats;
  /** Changes the faults from now on. */
  set(options: FaultOptions): void;
  stop(): Promise<void>;
}

interface PutRecordsBody {
  Records: unknown[];
  [key: string]: unknown;
}
interface PutRecordsResult {
  FailedRecordCount?: number;
  Records: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

/**
 * A small HTTP proxy on a free loopback port in front of a Kinesis emulator
 * that injects the faults no emulator produces: partial PutRecords failures
 * (it forwards only the entries it does not fail, then merges a response in
 * the original order with `ErrorCode` for the failed ones), whole-call
 * throttling, 500s, connection resets and slow answers. It counts calls per
 * operation and keeps each one's arrival time (`stats.arrivals`): on a
 * one-shard stream, the GetRecords arrivals are that shard's.
 *
 * ```ts
 * const proxy = await startFaultProxy(kinesis.endpoint, { putRecordsFailureRate: 0.3 });
 * const client = createKinesisClient({ endpoint: proxy.endpoint, ... });
 * ```
 */
export async function startFaultProxy(
  target: string,
  initial: FaultOptions = {},
): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  let options: FaultOptions = { ...initial };
  const stats: FaultStats = { calls: {}, arrivals: {}, failedEntries: 0, forwardedEntries: 0 };

  const forward = (
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const outHeaders: IncomingHttpHeaders = { ...headers, host: targetUrl.host };
      outHeaders['content-length'] = String(body.length);
      const req = request(
        {
          host: targetUrl.hostname,
          port: targetUrl.port,
          method,
          path,
          headers: outHeaders,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 500,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const reply = (
    res: ServerResponse,
    status: number,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): void => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(headers)) {
      if (
        v === undefined ||
        k === 'content-length' ||
        k === 'transfer-encoding' ||
        k === 'connection'
      )
        continue;
      out[k] = v;
    }
    out['content-length'] = String(body.length);
    res.writeHead(status, out);
    res.end(body);
  };

  const errorReply = (res: ServerResponse, status: number, type: string, message: string): void =>
    reply(
      res,
      status,
      { 'content-type': 'application/x-amz-json-1.1' },
      Buffer.from(JSON.stringify({ __type: type, message })),
    );

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrivedAt = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const targetHeader = String(req.headers['x-amz-target'] ?? '');
    const operation = targetHeader.slice(targetHeader.indexOf('.') + 1);
    stats.calls[operation] = (stats.calls[operation] ?? 0) + 1;
    (stats.arrivals[operation] ??= []).push(arrivedAt);

    const delay = options.delayMs?.(operation) ?? 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (options.reset?.(operation) === true) {
      req.socket.destroy();
      return;
    }
    if (options.throttle?.(operation) === true) {
      errorReply(res, 400, 'ProvisionedThroughputExceededException', 'Rate exceeded (injected)');
      return;
    }
    if (options.serverError?.(operation) === true) {
      errorReply(res, 500, 'InternalFailure', 'injected');
      return;
    }
    const rate = options.putRecordsFailureRate ?? 0;
    if (operation !== 'PutRecords' || rate <= 0) {
      const out = await forward(req.method ?? 'POST', req.url ?? '/', req.headers, body);
      reply(res, out.status, out.headers, out.body);
      return;
    }

    const input = JSON.parse(body.toString('utf8')) as PutRecordsBody;
    const random = options.random ?? Math.random;
    const failed = input.Records.map(() => random() < rate);
    const kept = input.Records.filter((_, i) => !failed[i]);
    const failCount = input.Records.length - kept.length;
    stats.failedEntries += failCount;
    stats.forwardedEntries += kept.length;
    let results: Array<Record<string, unknown>> = [];
    let extra: Record<string, unknown> = {};
    if (kept.length > 0) {
      const out = await forward(
        req.method ?? 'POST',
        req.url ?? '/',
        req.headers,
        Buffer.from(JSON.stringify({ ...input, Records: kept })),
      );
      if (out.status !== 200) {
        reply(res, out.status, out.headers, out.body);
        return;
      }
      const parsed = JSON.parse(out.body.toString('utf8')) as PutRecordsResult;
      results = parsed.Records;
      const { Records: _r, FailedRecordCount: _f, ...rest } = parsed;
      extra = rest;
    }
    const code = options.putRecordsErrorCode ?? 'ProvisionedThroughputExceededException';
    let next = 0;
    let failedTotal = 0;
    const merged = input.Records.map((_, i) => {
      if (failed[i] === true) {
        failedTotal += 1;
        return {
          ErrorCode: code,
          ErrorMessage: 'Rate exceeded for shard (injected by fault proxy)',
        };
      }
      const r = results[next++] ?? { ErrorCode: 'InternalFailure', ErrorMessage: 'missing result' };
      if (r['ErrorCode'] !== undefined) failedTotal += 1;
      return r;
    });
    reply(
      res,
      200,
      { 'content-type': 'application/x-amz-json-1.1' },
      Buffer.from(JSON.stringify({ ...extra, FailedRecordCount: failedTotal, Records: merged })),
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) errorReply(res, 500, 'InternalFailure', String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    set: (next) => {
      options = { ...next };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
