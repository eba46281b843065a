import { Subscription, interval, map, tap } from 'rxjs';
import { fromKinesis, toKinesis } from '../../../src/index.js';
import type { FeedEvent, PageConfig, ShopEvent } from '../shared/feed.js';
import { drawLagChart } from './drawLagChart.js';
import { drawWindowChart } from './drawWindowChart.js';
import { fromEventSource } from './fromEventSource.js';
import { shopEvents } from './shopEvents.js';

const TAIL_LENGTH = 12;

function element<E extends Element>(root: Document, selector: string): E {
  const found = root.querySelector<E>(selector);
  if (found === null) throw new Error(`the page has no ${selector}`);
  return found;
}

/**
 * Runs the dashboard in `root`: the shop writes to Kinesis (`toKinesis`), the
 * tail reads it (`fromKinesis`), the backend's SSE feed is drawn as charts.
 * Returns the teardown: it stops the sink, the reader and the feed.
 */
export function startPage(config: PageConfig, root: Document): () => void {
  const kinesis = {
    region: config.region,
    endpoint: config.kinesisEndpoint,
    credentials: config.credentials,
  };
  const subscriptions = new Subscription();

  // Write: every shop event goes straight to Kinesis from the page, keyed by user.
  const sent = new Map<string, number>();
  const sink = toKinesis<{ data: string; partitionKey: string }>({
    stream: config.eventsStream,
    ...kinesis,
    flushBuffer: { timeoutMs: 100 },
  });
  subscriptions.add(
    shopEvents(root)
      .pipe(
        tap((event) => sent.set(event.behavior, (sent.get(event.behavior) ?? 0) + 1)),
        map((event: ShopEvent) => ({
          data: JSON.stringify(event),
          partitionKey: `user-${event.user_id}`,
        })),
      )
      .subscribe(sink),
  );

  // Read: a live tail of the same stream, and each shard's lag behind its latest record.
  const tail = element<HTMLOListElement>(root, '#tail');
  const tailStatus = element<HTMLElement>(root, '#tail-status');
  const pageLag = new Map<string, number>();
  const decoder = new TextDecoder();
  subscriptions.add(
    fromKinesis({
      stream: config.eventsStream,
      ...kinesis,
      initialPosition: 'LATEST',
      polling: { intervalMs: 250 },
      onFetch: (report) => pageLag.set(report.shardId, report.millisBehindLatest ?? 0),
    }).subscribe({
      next: (record) => {
        const event = JSON.parse(decoder.decode(record.data)) as ShopEvent;
        const item = root.createElement('li');
        item.textContent = `${new Date(event.ts).toISOString().slice(11, 23)}  ${record.shardId.slice(-3)}  user ${event.user_id}  ${event.behavior}`;
        tail.prepend(item);
        while (tail.children.length > TAIL_LENGTH) tail.lastElementChild?.remove();
        tailStatus.textContent = `tail: ${tail.children.length} latest records`;
      },
      error: (error: unknown) => (tailStatus.textContent = `tail stopped: ${String(error)}`),
    }),
  );

  // The backend's aggregates, over SSE, turned back into an Observable.
  const windows = new Map<number, Map<string, number>>();
  let backendLag: Readonly<Record<string, number>> = {};
  let late = 0;
  const feedStatus = element<HTMLElement>(root, '#feed-status');
  subscriptions.add(
    fromEventSource<FeedEvent>(config.feedUrl, ['window', 'lag'], (status) => {
      feedStatus.textContent = `feed: ${status}`;
    }).subscribe((event) => {
      if (event.type === 'lag') {
        backendLag = event.shards;
        late = event.late;
        return;
      }
      let counts = windows.get(event.windowStart);
      if (counts === undefined) windows.set(event.windowStart, (counts = new Map()));
      counts.set(event.behavior, event.count);
    }),
  );

  // Pictures, redrawn a few times a second.
  const windowChart = element<SVGSVGElement>(root, '#windows-chart');
  const lagChart = element<SVGSVGElement>(root, '#lag-chart');
  const totals = element<HTMLElement>(root, '#totals');
  const sentLine = element<HTMLElement>(root, '#sent');
  const describe = (counts: ReadonlyMap<string, number>): string =>
    [...counts].map(([behavior, n]) => `${behavior} ${n}`).join(' · ') || '–';
  subscriptions.add(
    interval(250).subscribe(() => {
      drawWindowChart(windowChart, windows);
      const counted = new Map<string, number>();
      for (const counts of windows.values())
        for (const [behavior, n] of counts) counted.set(behavior, (counted.get(behavior) ?? 0) + n);
      totals.textContent = `counted by the backend: ${describe(counted)} · late (dropped): ${late}`;
      sentLine.textContent = `sent: ${describe(sent)} · acknowledged by Kinesis: ${sink.summary.records}`;
      drawLagChart(lagChart, [
        ...Object.entries(backendLag).map(([shardId, ms]) => ({
          reader: 'backend',
          shardId,
          millisBehindLatest: ms,
        })),
        ...[...pageLag].map(([shardId, ms]) => ({
          reader: 'page tail',
          shardId,
          millisBehindLatest: ms,
        })),
      ]);
    }),
  );

  return () => subscriptions.unsubscribe();
}
