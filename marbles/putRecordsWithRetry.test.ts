import { TestScheduler } from 'rxjs/testing';
import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { KinesisPort } from '../src/client/KinesisPort.js';
import { KinesisCallError, StreamNotFoundError } from '../src/client/errors.js';
import { type PutEntry, putRecordsWithRetry } from '../src/sink/putRecordsWithRetry.js';
import { PutRecordsError } from '../src/sink/PutRecordsError.js';
import { FakeKinesis, kinesisError } from '../src/testing/FakeKinesis.js';

const policy = { base: 100, max: 5000, expConst: 2, maxRetries: 10 };
const half = (): number => 0.5; // jitter draws half the ceiling: 50, 100, 200, 400 ...

const entries = (n: number): PutEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    partitionKey: `k${i}`,
    explicitHashKey: undefined,
    data: new TextEncoder().encode(`record-${i}`),
  }));

function setup(): { ts: TestScheduler; fake: FakeKinesis } {
  const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const fake = new FakeKinesis({ scheduler: ts });
  fake.createStream('out', 2);
  return { ts, fake };
}

const stored = (fake: FakeKinesis): string[] =>
  fake
    .shardsOf('out')
    .flatMap((s) => s.records.map((r) => new TextDecoder().decode(r.data)))
    .sort();

const putCalls = (fake: FakeKinesis): Array<{ at: number; keys: string[] }> =>
  fake.callsOf('PutRecordsCommand').map((c) => ({
    at: c.at,
    keys: (c.input['Records'] as Array<{ PartitionKey: string }>).map((r) => r.PartitionKey),
  }));

describe('putRecordsWithRetry', () => {
  it('emits at once, with no request, for an empty batch', () => {
    const { ts, fake } = setup();
    ts.run(({ expectObservable }) => {
      const out = putRecordsWithRetry(fake, 'out', [], { policy }, ts).pipe(map((o) => o.requests));
      expectObservable(out).toBe('(x|)', { x: 0 });
    });
    expect(fake.callsOf('PutRecordsCommand')).toHaveLength(0);
  });

  it('puts one record with one request', () => {
    const { ts, fake } = setup();
    ts.run(({ expectObservable }) => {
      const out = putRecordsWithRetry(fake, 'out', entries(1), { policy }, ts).pipe(
        map((o) => [o.requests, o.sequenceNumbers.length, o.shardIds[0]?.startsWith('shardId-')]),
      );
      expectObservable(out).toBe('(x|)', { x: [1, 1, true] });
    });
    expect(stored(fake)).toEqual(['record-0']);
  });

  it('retries only the failed entries of a partial failure, after full-jitter backoff', () => {
    const { ts, fake } = setup();
    fake.failPutRecordsEntries((entry, _index, call) => {
      // first attempt: k1 and k3 throttled; second attempt: k3 throttled again
      if (call.at === 0 && (entry.PartitionKey === 'k1' || entry.PartitionKey === 'k3'))
        return 'ProvisionedThroughputExceededException';
      if (call.at === 50 && entry.PartitionKey === 'k3') return 'InternalFailure';
      return undefined;
    });
    ts.run(({ expectObservable }) => {
      const out = putRecordsWithRetry(fake, 'out', entries(5), { policy, random: half }, ts).pipe(
        map((o) => ({
          requests: o.requests,
          retried: o.retriedRecords,
          complete: o.sequenceNumbers.filter((s) => s !== undefined).length,
        })),
      );
      // attempt 0 at 0; retry 1 after 50 (ceiling 100); retry 2 after 100 (ceiling 200)
      expectObservable(out).toBe('150ms (x|)', { x: { requests: 3, retried: 3, complete: 5 } });
    });
    expect(putCalls(fake)).toEqual([
      { at: 0, keys: ['k0', 'k1', 'k2', 'k3', 'k4'] },
      { at: 50, keys: ['k1', 'k3'] },
      { at: 150, keys: ['k3'] },
    ]);
    expect(stored(fake)).toEqual(['record-0', 'record-1', 'record-2', 'record-3', 'record-4']);
  });

  it('counts maxRetries in attempts in a row that store nothing: a busy shard storing a trickle is not failed', () => {
    const { ts, fake } = setup();
    // each attempt stores only the first entry it carries (a shard at its write limit)
    fake.failPutRecordsEntries((_entry, index) =>
      index === 0 ? undefined : 'ProvisionedThroughputExceededException',
    );
    let outcome: { requests: number } | undefined;
    ts.run(({ flush }) => {
      putRecordsWithRetry(
        fake,
        'out',
        entries(5),
        { policy: { ...policy, maxRetries: 1 }, random: half },
        ts,
      ).subscribe((o) => (outcome = o));
      flush();
    });
    expect(outcome?.requests).toBe(5);
    expect(stored(fake)).toEqual(['record-0', 'record-1', 'record-2', 'record-3', 'record-4']);
  });

  it('fails after maxRetries + 1 attempts that store nothing', () => {
    const { ts, fake } = setup();
    fake.failPutRecordsEntries(() => 'ProvisionedThroughputExceededException');
    let failure: unknown;
    ts.run(({ flush }) => {
      putRecordsWithRetry(
        fake,
        'out',
        entries(2),
        { policy: { ...policy, maxRetries: 2 }, random: half },
        ts,
      ).subscribe({ error: (e: unknown) => (failure = e) });
      flush();
    });
    expect(failure).toBeInstanceOf(PutRecordsError);
    expect((failure as Error).message).toContain('after 3 attempt(s)');
    expect(putCalls(fake).map((c) => c.at)).toEqual([0, 50, 150]);
  });

  it('keeps every sequence number in the batch order across retries', () => {
    const { ts, fake } = setup();
    fake.failPutRecordsEntries((entry, _i, call) =>
      call.at === 0 && entry.PartitionKey === 'k0'
        ? 'ProvisionedThroughputExceededException'
        : undefined,
    );
    let outcome: { sequenceNumbers: readonly string[] } | undefined;
    ts.run(() => {
      putRecordsWithRetry(fake, 'out', entries(3), { policy, random: half }, ts).subscribe((o) => {
        outcome = o;
      });
    });
    const bySeq = new Map(
      fake.shardsOf('out').flatMap((s) => s.records.map((r) => [r.sequenceNumber, r.partitionKey])),
    );
    expect(outcome?.sequenceNumbers.map((s) => bySeq.get(s))).toEqual(['k0', 'k1', 'k2']);
  });

  it('fails with PutRecordsError once the retry limit is reached', () => {
    const { ts, fake } = setup();
    fake.failPutRecordsEntries((entry) =>
      entry.PartitionKey === 'k1' ? 'ProvisionedThroughputExceededException' : undefined,
    );
    ts.run(({ expectObservable }) => {
      const out = putRecordsWithRetry(
        fake,
        'out',
        entries(2),
        { policy: { ...policy, maxRetries: 2 }, random: half },
        ts,
      );
      expectObservable(out).toBe(
        '150ms #',
        undefined,
        new PutRecordsError('out', 3, [
          {
            partitionKey: 'k1',
            errorCode: 'ProvisionedThroughputExceededException',
            errorMessage: 'ProvisionedThroughputExceededException (injected)',
          },
        ]),
      );
    });
    expect(putCalls(fake).map((c) => c.at)).toEqual([0, 50, 150]);
  });

  it('with failOnError, fails at the first failed entry without retrying', () => {
    const { ts, fake } = setup();
    fake.failPutRecordsEntries((entry) =>
      entry.PartitionKey === 'k0' ? 'ProvisionedThroughputExceededException' : undefined,
    );
    ts.run(({ expectObservable }) => {
      const out = putRecordsWithRetry(fake, 'out', entries(2), { policy, failOnError: true }, ts);
      expectObservable(out).toBe('#', undefined, expect.any(PutRecordsError));
    });
    expect(fake.callsOf('PutRecordsCommand')).toHaveLength(1);
  });

  it('fails at once on an entry error no retry can fix', () => {
    const { ts, fake } = setup();
    fake.failPutRecordsEntries((entry) =>
      entry.PartitionKey === 'k0' ? 'KMSAccessDeniedException' : undefined,
    );
    ts.run(({ expectObservable }) => {
      const out = putRecordsWithRetry(fake, 'out', entries(2), { policy, random: half }, ts);
      expectObservable(out).toBe('#', undefined, expect.any(PutRecordsError));
    });
  });

  it('retries a throttled or 5xx call whole, with backoff', () => {
    const { ts, fake } = setup();
    fake.failNext('PutRecordsCommand', 'ProvisionedThroughputExceededException');
    fake.failNext('PutRecordsCommand', kinesisError('InternalFailure', 'boom', 500));
    ts.run(({ expectObservable }) => {
      const out = putRecordsWithRetry(fake, 'out', entries(3), { policy, random: half }, ts).pipe(
        map((o) => [o.requests, o.retriedRecords]),
      );
      expectObservable(out).toBe('150ms (x|)', { x: [3, 6] });
    });
    expect(putCalls(fake).map((c) => [c.at, c.keys.length])).toEqual([
      [0, 3],
      [50, 3],
      [150, 3],
    ]);
    expect(stored(fake)).toHaveLength(3);
  });

  it('fails with KinesisCallError on a fatal call error, StreamNotFoundError on a missing stream', () => {
    const { ts, fake } = setup();
    fake.failNext('PutRecordsCommand', 'ValidationException');
    ts.run(({ expectObservable }) => {
      expectObservable(putRecordsWithRetry(fake, 'out', entries(1), { policy }, ts)).toBe(
        '#',
        undefined,
        expect.any(KinesisCallError),
      );
      expectObservable(putRecordsWithRetry(fake, 'missing', entries(1), { policy }, ts)).toBe(
        '#',
        undefined,
        expect.any(StreamNotFoundError),
      );
    });
  });

  it('never emits while the call never answers, and aborts it when unsubscribed', () => {
    const { ts } = setup();
    const signals: AbortSignal[] = [];
    const silent = {
      send: (_command: unknown, options: { abortSignal: AbortSignal }) => {
        signals.push(options.abortSignal);
        return new Promise<never>(() => undefined);
      },
    } as unknown as KinesisPort;
    ts.run(({ expectObservable }) => {
      expectObservable(
        putRecordsWithRetry(silent, 'out', entries(1), { policy }, ts),
        '^ 99ms !',
      ).toBe('-');
    });
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });

  it('cancels a pending retry when unsubscribed during the backoff', () => {
    const { ts, fake } = setup();
    fake.failPutRecordsEntries(() => 'ProvisionedThroughputExceededException');
    ts.run(({ expectObservable }) => {
      expectObservable(
        putRecordsWithRetry(fake, 'out', entries(2), { policy, random: half }, ts),
        '^ 20ms !',
      ).toBe('-');
    });
    expect(fake.callsOf('PutRecordsCommand')).toHaveLength(1);
  });
});
