import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { kinesisMetrics } from '../../src/metrics/kinesisMetrics.js';
import type { Metric } from '../../src/metrics/Metric.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import type { FetchReport } from '../../src/source/ShardReader.js';
import { FakeKinesis } from '../../src/testing/FakeKinesis.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

// Backoff without jitter (max 0), so retries are timed by the 200 ms GetRecords spacing alone.
const NO_WAIT = { base: 0, max: 0, expConst: 1, maxRetries: 5 };

describe('fromKinesis({ metrics })', () => {
  it('reports every fetch and every retried call, with exact names and values', () => {
    const scheduler = testScheduler();
    const metrics: Metric[] = [];
    const reports: FetchReport[] = [];
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      const shardId = fake.shardsOf('s')[0]?.shardId;
      fake.put('s', 'a', 'abc');
      fake.put('s', 'b', 'defgh');
      fake.failNext('ListShardsCommand', 'LimitExceededException');
      fake.failNext('GetShardIteratorCommand', 'ProvisionedThroughputExceededException');
      // the first GetRecords (at 0) is throttled; its retry waits for the 200 ms spacing
      fake.failNext('GetRecordsCommand', 'ProvisionedThroughputExceededException');
      const recorder = new Subject<Metric>();
      recorder.subscribe((m) => metrics.push(m));
      const sub = fromKinesis(
        {
          stream: 's',
          client: fake,
          initialPosition: 'TRIM_HORIZON',
          polling: { intervalMs: 1000 },
          backoff: { listShards: NO_WAIT, getShardIterator: NO_WAIT, getRecords: NO_WAIT },
          metrics: recorder,
          onFetch: (report) => reports.push(report),
        },
        scheduler,
      ).subscribe();
      scheduler.schedule(() => sub.unsubscribe(), 1100);
      flush();
      const where = { stream: 's', shardId };
      expect(metrics).toEqual([
        // ListShards, GetShardIterator and GetRecords each retried once, in that order
        { name: 'source.retries', value: 1, stream: 's', at: 0 },
        { name: 'source.retries', value: 1, ...where, at: 0 },
        { name: 'source.retries', value: 1, ...where, at: 0 },
        // the retried fetch (at 200, the call spacing) brought both records, 3 + 5 bytes
        { name: 'source.recordsPerFetch', value: 2, ...where, at: 200 },
        { name: 'source.bytesPerFetch', value: 8, ...where, at: 200 },
        { name: 'source.fetchLatencyMs', value: 0, ...where, at: 200 },
        { name: 'source.sleepMs', value: 0, ...where, at: 200 },
        { name: 'source.millisBehindLatest', value: 0, ...where, at: 200 },
        // caught up: the next fetch would be at 1,200, after the unsubscribe
      ]);
      // the user's own onFetch still gets every report
      expect(reports).toHaveLength(1);
    });
  });

  it('feeds a kinesisMetrics hub that the user subscribes to', () => {
    const scheduler = testScheduler();
    const names: string[] = [];
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 2);
      const hub = kinesisMetrics(scheduler);
      hub.metrics.subscribe((m) => names.push(`${m.name}@${m.at}`));
      const sub = fromKinesis(
        { stream: 's', client: fake, initialPosition: 'TRIM_HORIZON', metrics: hub },
        scheduler,
      ).subscribe();
      scheduler.schedule(() => sub.unsubscribe(), 100);
      flush();
    });
    // two shards, one fetch each at 0, five metrics per fetch
    expect(names).toHaveLength(10);
    expect(names.filter((n) => n === 'source.recordsPerFetch@0')).toHaveLength(2);
  });

  it('rejects a metrics value without next(), naming the path, before any request', () => {
    const fake = new FakeKinesis();
    fake.createStream('s', 1);
    expect(() =>
      fromKinesis({ stream: 's', client: fake, metrics: {} as unknown as Subject<Metric> }),
    ).toThrow(/source\.metrics: expected a metrics recorder/);
    expect(fake.calls).toEqual([]);
  });
});
