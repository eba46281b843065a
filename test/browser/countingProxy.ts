import { type Server, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Kinesis call that went through the proxy. */
export interface ProxiedCall {
  /** `GetRecords`, `PutRecords`, ... (from `X-Amz-Target`). */
  readonly operation: string;
  readonly at: number;
  /** Sent by an AWS SDK client (it marks every request with `x-amz-user-agent`; the fetch client does not). */
  readonly bySdk: boolean;
}

/** A plain HTTP proxy in front of one endpoint that records every Kinesis call (not CORS preflights). */
export interface CountingProxy {
  readonly endpoint: string;
  readonly calls: readonly ProxiedCall[];
  /** How many calls of `operation` (all when omitted) went through so far. */
  count(operation?: string): number;
  stop(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const calls: ProxiedCall[] = [];
  const url = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    const targetHeader = incoming.headers['x-amz-target'];
    if (incoming.method !== 'OPTIONS' && typeof targetHeader === 'string')
      calls.push({
        operation: targetHeader.split('.').pop() ?? targetHeader,
        at: Date.now(),
        bySdk: incoming.headers['x-amz-user-agent'] !== undefined,
      });
    const forward = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: url.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forward.on('error', () => outgoing.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    count: (operation) =>
      operation === undefined
        ? calls.length
        : calls.filter((c) => c.operation === operation).length,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
