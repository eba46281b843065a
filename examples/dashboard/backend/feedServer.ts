import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Observable, Subject, finalize } from 'rxjs';
import type { FeedEvent } from '../shared/feed.js';

/** What happened to one SSE client, in order: connected, feed ended (the page went), unsubscribed. */
export interface ClientLogEntry {
  readonly client: number;
  readonly event: 'connected' | 'feed-ended' | 'unsubscribed';
}

export interface FeedServer {
  /** The SSE feed URL (`/feed`). */
  readonly feedUrl: string;
  /** Every client's connect, feed end and unsubscription, as they happen. */
  readonly clients: Observable<ClientLogEntry>;
  /** The same, kept. */
  readonly clientLog: readonly ClientLogEntry[];
  stop(): Promise<void>;
}

/**
 * Serves `feed` as Server-Sent Events at `/feed` on a free loopback port
 * (`port` to choose one): each client gets its own subscription, made when
 * it connects and unsubscribed when its connection closes. CORS is open: the
 * page is served from another port.
 */
export async function startFeedServer(feed: Observable<FeedEvent>, port = 0): Promise<FeedServer> {
  const log = new Subject<ClientLogEntry>();
  const clientLog: ClientLogEntry[] = [];
  const record = (entry: ClientLogEntry): void => {
    clientLog.push(entry);
    log.next(entry);
  };
  let clients = 0;
  const serve = (request: IncomingMessage, response: ServerResponse): void => {
    if (request.url !== '/feed') {
      response.writeHead(404, { 'access-control-allow-origin': '*' }).end();
      return;
    }
    const client = ++clients;
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'access-control-allow-origin': '*',
    });
    response.flushHeaders();
    record({ client, event: 'connected' });
    const subscription = feed
      .pipe(finalize(() => record({ client, event: 'unsubscribed' })))
      .subscribe({
        next: (event) => response.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
        error: () => response.end(),
        complete: () => response.end(),
      });
    request.once('close', () => {
      record({ client, event: 'feed-ended' });
      subscription.unsubscribe();
    });
  };
  const server: Server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    feedUrl: `http://127.0.0.1:${bound}/feed`,
    clients: log.asObservable(),
    clientLog,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          log.complete();
          resolve();
        });
      }),
  };
}
