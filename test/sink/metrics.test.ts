import { Subject, lastValueFrom, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../src/metrics/Metric.js';
import type { SinkInput } from '../../src/sink/SinkInput.js';
import { writeToKinesis } from '../../src/sink/writeToKinesis.js';
import { FakeKinesis } from '../../src/testing/FakeKinesis.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const value = (key: string): SinkInput => ({ data: key, partitionKey: key });

describe('writeToKinesis({ metrics })', () => {
  it('reports requests in flight, records buffered, retried entries and backpressure time, exactly', () => {
    const scheduler = testScheduler();
    const metrics: Metric[] = [];
    scheduler.run(({ cold, flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('out', 1);
      // the first PutRecords refuses its first entry: one retried request with one entry
      let calls = 0;
      fake.failPutRecordsEntries((_entry, index) => {
        if (index === 0) calls += 1;
        return calls === 1 && index === 0 ? 'ProvisionedThroughputExceededException' : undefined;
      });
      const recorder = new Subject<Metric>();
      recorder.subscribe((m) => metrics.push(m));
      const writer = writeToKinesis(
        {
          stream: 'out',
          client: fake,
          batch: { maxSize: 2 },
          flushBuffer: { timeoutMs: 100 },
          requests: { maxInflight: 1, maxBuffered: 3 },
          // full jitter of 50 ms with random 0.5: the retry waits 25 ms
          retry: { base: 50, max: 50, expConst: 1, maxRetries: 3 },
          random: () => 0.5,
          metrics: recorder,
        },
        scheduler,
      );
      cold('abc 197ms |', { a: value('a'), b: value('b'), c: value('c') })
        .pipe(writer)
        .subscribe();
      flush();
    });
    expect(metrics).toEqual([
      // at 1: [a, b] is a full batch; its request starts, entry a fails and waits 25 ms
      { name: 'sink.recordsBuffered', value: 2, at: 1 },
      { name: 'sink.requestsInFlight', value: 1, at: 1 },
      { name: 'sink.retries', value: 1, stream: 'out', at: 1 },
      // at 2: c makes 3 buffered = maxBuffered, the sink is full until a and b are acknowledged
      { name: 'sink.backpressureMs', value: 24, at: 26 },
      { name: 'sink.recordsBuffered', value: 1, at: 26 },
      { name: 'sink.requestsInFlight', value: 0, at: 26 },
      // at 102: [c] closes on the flush timeout (buffered still 1: not reported again)
      { name: 'sink.requestsInFlight', value: 1, at: 102 },
      { name: 'sink.recordsBuffered', value: 0, at: 102 },
      { name: 'sink.requestsInFlight', value: 0, at: 102 },
    ]);
  });

  it('works without metrics (the gauges are optional)', async () => {
    const fake = new FakeKinesis();
    fake.createStream('out', 1);
    const acks = await lastValueFrom(
      of(value('a'), value('b')).pipe(writeToKinesis({ stream: 'out', client: fake }), toArray()),
    );
    expect(acks).toHaveLength(2);
  });

  it('rejects a metrics value without next(), naming the path, before any request', () => {
    const fake = new FakeKinesis();
    expect(() =>
      writeToKinesis({ stream: 'out', client: fake, metrics: { next: 1 } as never }),
    ).toThrow(/sink\.metrics: expected a metrics recorder/);
    expect(fake.calls).toEqual([]);
  });
});
