import {
  CreateStreamCommand,
  type KinesisClient,
  ResourceInUseException,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import {
  BehaviorSubject,
  type Observable,
  ReplaySubject,
  type Subscription,
  asyncScheduler,
  map,
  merge,
  tap,
  throttleTime,
} from 'rxjs';
import { createKinesisClient } from '../../src/index.js';
import { aggregateBehaviors } from './backend/aggregateBehaviors.js';
import { type ClientLogEntry, startFeedServer } from './backend/feedServer.js';
import { startPageServer } from './backend/pageServer.js';
import { loadState, persistState } from './backend/stateFile.js';
import type { FeedEvent, LagEvent, PageConfig, WindowCountEvent } from './shared/feed.js';

export interface DashboardOptions {
  /** The Kinesis endpoint the backend uses (the emulator). */
  readonly kinesisEndpoint: string;
  /** The endpoint the page calls; default `kinesisEndpoint` (tests put a counting proxy here). */
  readonly pageKinesisEndpoint?: string;
  /** Where the backend keeps its state (checkpoint + open windows) between runs. */
  readonly stateFile: string;
  /** Event-time window length; default 5,000 ms. */
  readonly windowMs?: number;
  /** A 12-digit key id: its own account on kinesis-local. Default 111122223333. */
  readonly accessKeyId?: string;
  readonly eventsStream?: string;
  readonly countsStream?: string;
}

export interface Dashboard {
  /** The page. */
  readonly url: string;
  readonly feedUrl: string;
  /** SSE clients connecting, their feeds ending, their subscriptions ending. */
  readonly clients: Observable<ClientLogEntry>;
  readonly clientLog: readonly ClientLogEntry[];
  /** Every window the backend closed and wrote to the counts stream. */
  readonly windows: readonly WindowCountEvent[];
  /** Errors of the backend's pipeline (it stops at the first). */
  readonly errors: readonly unknown[];
  /** Events the backend dropped as late (after their window closed). */
  readonly late: () => number;
  readonly bundleBytes: number;
  stop(): Promise<void>;
}

const REGION = 'us-east-1';

async function createStream(client: KinesisClient, name: string, shards: number): Promise<void> {
  try {
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
}

/**
 * The dashboard's backend and page server: creates the streams, starts the
 * aggregation (resuming from `stateFile`), serves its feed over SSE and the
 * page (bundled now) on free loopback ports.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const windowMs = options.windowMs ?? 5_000;
  const eventsStream = options.eventsStream ?? 'shop-events';
  const countsStream = options.countsStream ?? 'behavior-counts';
  const credentials = { accessKeyId: options.accessKeyId ?? '111122223333', secretAccessKey: 'x' };
  const client = createKinesisClient({
    region: REGION,
    endpoint: options.kinesisEndpoint,
    credentials,
  }) as KinesisClient;
  const stops: Array<() => Promise<void> | void> = [() => client.destroy()];
  const stop = async (): Promise<void> => {
    for (const step of stops.reverse()) await step();
  };
  try {
    await createStream(client, eventsStream, 2);
    await createStream(client, countsStream, 1);

    const windows: WindowCountEvent[] = [];
    const errors: unknown[] = [];
    const windows$ = new ReplaySubject<WindowCountEvent>(500);
    const shards: Record<string, number> = {};
    const lag$ = new BehaviorSubject<LagEvent>({
      type: 'lag',
      shards: {},
      watermark: null,
      late: 0,
    });
    let watermark: number | null = null;
    let late = 0;
    const state = await loadState(options.stateFile);
    const aggregation: Subscription = aggregateBehaviors({
      client,
      eventsStream,
      countsStream,
      windowMs,
      ...(state !== undefined ? { state } : {}),
      onFetch: (report) => {
        shards[report.shardId] = report.millisBehindLatest ?? 0;
        lag$.next({ type: 'lag', shards: { ...shards }, watermark, late });
      },
      onLate: () => (late += 1),
    })
      .pipe(
        tap((step) => {
          watermark = step.state.windows.watermark;
          for (const window of step.closed) {
            windows.push(window);
            windows$.next(window);
          }
        }),
        map((step) => step.state),
        persistState(options.stateFile, 1_000),
      )
      .subscribe({
        error: (error: unknown) => {
          errors.push(error);
          console.error('dashboard backend stopped:', error);
        },
      });
    stops.push(() => aggregation.unsubscribe());

    const feed: Observable<FeedEvent> = merge(
      windows$,
      lag$.pipe(throttleTime(500, asyncScheduler, { leading: true, trailing: true })),
    );
    const feedServer = await startFeedServer(feed);
    stops.push(() => feedServer.stop());
    const pageConfig: PageConfig = {
      kinesisEndpoint: options.pageKinesisEndpoint ?? options.kinesisEndpoint,
      region: REGION,
      credentials,
      eventsStream,
      feedUrl: feedServer.feedUrl,
      windowMs,
    };
    const pageServer = await startPageServer(pageConfig);
    stops.push(() => pageServer.stop());
    return {
      url: pageServer.url,
      feedUrl: feedServer.feedUrl,
      clients: feedServer.clients,
      clientLog: feedServer.clientLog,
      windows,
      errors,
      late: () => late,
      bundleBytes: pageServer.bundleBytes,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
