import { EMPTY, NEVER, from, map, throwError, concat, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { InvalidRecordError } from '../src/sink/InvalidRecordError.js';
import { RecordExpiredError } from '../src/sink/RecordExpiredError.js';
import type { SinkInput } from '../src/sink/SinkInput.js';
import { writeToKinesis } from '../src/sink/writeToKinesis.js';
import { FakeKinesis, kinesisError } from '../src/testing/FakeKinesis.js';
import { runWriter, seeded, storedKeys, testScheduler } from './support/sinkRuns.js';

const values = (n: number, key: (i: number) => string = (i) => `k${i}`): SinkInput[] =>
  Array.from({ length: n }, (_, i) => ({ data: `v${i}`, partitionKey: key(i) }));

/** A fake whose PutRecords refuses every entry with key `bad` (throttled), stores the rest. */
function refusing(ts: ReturnType<typeof testScheduler>, bad = 'bad'): FakeKinesis {
  const fake = new FakeKinesis({ scheduler: ts });
  fake.createStream('out', 2);
  fake.failPutRecordsEntries((entry) =>
    entry.PartitionKey === bad ? 'ProvisionedThroughputExceededException' : undefined,
  );
  return fake;
}

describe('recordTtlMs (virtual time)', () => {
  it('empty: completes at once with no request and nothing expired', () => {
    const ts = testScheduler();
    const fake = refusing(ts);
    const expired: InvalidRecordError[] = [];
    const run = runWriter(
      ts,
      { stream: 'out', client: fake, recordTtlMs: 100, invalidRecords: (e) => expired.push(e) },
      EMPTY,
    );
    expect(run.completedAt).toBe(0);
    expect(fake.callsOf('PutRecordsCommand')).toHaveLength(0);
    expect(expired).toEqual([]);
  });

  it('one record stored in time is acknowledged, not expired', () => {
    const ts = testScheduler();
    const fake = refusing(ts);
    const expired: InvalidRecordError[] = [];
    const run = runWriter(
      ts,
      { stream: 'out', client: fake, recordTtlMs: 100, invalidRecords: (e) => expired.push(e) },
      from(values(1)),
    );
    expect(run.acks.map((a) => a.value.partitionKey)).toEqual(['k0']);
    expect(expired).toEqual([]);
  });

  it('one record that cannot be stored goes to invalidRecords as RecordExpiredError when its TTL is up, not after the backoff', () => {
    const ts = testScheduler();
    const fake = refusing(ts);
    const expired: Array<{ error: InvalidRecordError; at: number }> = [];
    const input = values(1, () => 'bad');
    const run = runWriter(
      ts,
      {
        stream: 'out',
        client: fake,
        recordTtlMs: 1000,
        retry: { base: 400, max: 400, maxRetries: 100 },
        random: () => 0.99,
        invalidRecords: (error) => expired.push({ error, at: ts.now() }),
      },
      from(input),
    );
    expect(run.error).toBeUndefined();
    expect(run.acks).toEqual([]);
    expect(expired).toHaveLength(1);
    const [{ error, at }] = expired as [{ error: InvalidRecordError; at: number }];
    expect(error).toBeInstanceOf(RecordExpiredError);
    expect(error.name).toBe('RecordExpiredError');
    expect(error.record).toBe(input[0]);
    expect((error as RecordExpiredError).ageMs).toBe(1000);
    expect((error as RecordExpiredError).stream).toBe('out');
    expect(error.message).toContain('not stored within recordTtlMs (1000 ms)');
    // attempts at 0, 396, 792; the next wait is cut short by the TTL: reported at 1000, not 1188
    expect(at).toBe(1000);
    expect(fake.callsOf('PutRecordsCommand').map((c) => c.at)).toEqual([0, 396, 792]);
    expect(run.completedAt).toBe(1000);
    expect(run.writer.summary.rejected).toBe(1);
    expect(run.actionsLeft).toBe(0);
  });

  it("with invalidRecords 'fail' (the default) an expired record fails the sink", () => {
    const ts = testScheduler();
    const fake = refusing(ts);
    const run = runWriter(
      ts,
      { stream: 'out', client: fake, recordTtlMs: 500, retry: { maxRetries: 100 } },
      from(values(3, (i) => (i === 1 ? 'bad' : `k${i}`))),
    );
    expect(run.error).toBeInstanceOf(RecordExpiredError);
    expect(run.completedAt).toBeUndefined();
    expect(run.actionsLeft).toBe(0);
  });

  it('many: the expired ones are reported, every other one acknowledged once, in input order, none dropped silently', () => {
    const ts = testScheduler();
    const fake = refusing(ts);
    const input = values(40, (i) => (i % 10 === 3 ? 'bad' : `k${i}`));
    const expired: unknown[] = [];
    const run = runWriter(
      ts,
      {
        stream: 'out',
        client: fake,
        batch: { maxSize: 7 },
        recordTtlMs: 2000,
        retry: { maxRetries: 1000 },
        random: seeded(3),
        invalidRecords: (e) => expired.push(e.record),
      },
      from(input),
    );
    expect(run.error).toBeUndefined();
    const bad = input.filter((v) => v.partitionKey === 'bad');
    const good = input.filter((v) => v.partitionKey !== 'bad');
    // each batch's expired ones in order; batches expire in any order
    expect(expired).toHaveLength(bad.length);
    expect(new Set(expired)).toEqual(new Set(bad));
    expect(run.acks.map((a) => a.value)).toEqual(good);
    expect(storedKeys(fake, 'out').sort()).toEqual(good.map((v) => v.partitionKey).sort());
    // every input is accounted for: acknowledged or reported
    expect(run.acks.length + expired.length).toBe(input.length);
    expect(run.writer.summary.rejected).toBe(bad.length);
  });

  it('measures from when the sink received the record (scheduler time), not from the start', () => {
    const ts = testScheduler();
    const fake = refusing(ts);
    const expired: Array<{ at: number; age: number }> = [];
    ts.run(({ cold, flush }) => {
      const source = cold<SinkInput>('300ms a|', { a: { data: 'x', partitionKey: 'bad' } });
      source
        .pipe(
          writeToKinesis(
            {
              stream: 'out',
              client: fake,
              flushBuffer: { timeoutMs: 0 },
              recordTtlMs: 200,
              retry: { base: 50, max: 50, maxRetries: 100 },
              random: () => 0.5,
              invalidRecords: (e) =>
                expired.push({ at: ts.now(), age: (e as RecordExpiredError).ageMs }),
            },
            ts,
          ),
        )
        .subscribe();
      flush();
    });
    expect(expired).toEqual([{ at: 500, age: 200 }]);
  });

  it('records held back by rateLimit expire too, when their TTL is up; each is acked or reported', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts, limits: true });
    fake.createStream('out', 1);
    const input = values(50);
    const expired: Array<{ record: unknown; at: number }> = [];
    const run = runWriter(
      ts,
      {
        stream: 'out',
        client: fake,
        flushBuffer: { timeoutMs: 0 },
        rateLimit: 1, // 10 records/s for the one shard
        recordTtlMs: 500,
        invalidRecords: (e) => expired.push({ record: e.record, at: ts.now() }),
      },
      from(input),
    );
    expect(run.error).toBeUndefined();
    // a burst of 1, then 9 a second: about 5 stored within 500 ms, the rest expired at 500
    expect(run.acks.length).toBeGreaterThanOrEqual(4);
    expect(run.acks.length).toBeLessThanOrEqual(6);
    expect(run.acks.length + expired.length).toBe(50);
    expect(expired.every((e) => e.at === 500)).toBe(true);
    expect(run.completedAt).toBe(500);
  });

  it('an aggregated record that expires reports each user record in it', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 1);
    fake.failNext(
      'PutRecordsCommand',
      kinesisError('ProvisionedThroughputExceededException', 'slow down', 400),
      1000,
    );
    const input = values(5, () => 'same');
    const expired: unknown[] = [];
    const run = runWriter(
      ts,
      {
        stream: 'out',
        client: fake,
        aggregation: true,
        recordTtlMs: 300,
        retry: { maxRetries: 1000 },
        invalidRecords: (e) => expired.push(e.record),
      },
      from(input),
    );
    expect(run.error).toBeUndefined();
    expect(expired).toEqual(input);
    expect(run.completedAt).toBeDefined();
  });

  it('a throwing invalidRecords handler fails the sink with what it threw', () => {
    const ts = testScheduler();
    const fake = refusing(ts);
    const boom = new Error('handler failed');
    const run = runWriter(
      ts,
      {
        stream: 'out',
        client: fake,
        recordTtlMs: 100,
        retry: { maxRetries: 100 },
        invalidRecords: () => {
          throw boom;
        },
      },
      from(values(1, () => 'bad')),
    );
    expect(run.error).toBe(boom);
    expect(run.actionsLeft).toBe(0);
  });

  it('an error of the source is passed on', () => {
    const ts = testScheduler();
    const fake = refusing(ts);
    const failure = new Error('source failed');
    const run = runWriter(
      ts,
      { stream: 'out', client: fake, recordTtlMs: 100 },
      concat(
        of(...values(2)),
        throwError(() => failure),
      ),
    );
    expect(run.error).toBe(failure);
  });

  it('never-ending source: records are acknowledged or expire as they go; unsubscribing leaves no timer', () => {
    const ts = testScheduler();
    const fake = refusing(ts);
    const expired: unknown[] = [];
    ts.run(({ hot, expectObservable }) => {
      const source = hot<SinkInput>('a 199ms b 299ms c', {
        a: { data: 'a', partitionKey: 'ka' },
        b: { data: 'b', partitionKey: 'bad' },
        c: { data: 'c', partitionKey: 'kc' },
      });
      const acks = source.pipe(
        writeToKinesis(
          {
            stream: 'out',
            client: fake,
            flushBuffer: { timeoutMs: 10 },
            recordTtlMs: 150,
            retry: { base: 20, max: 20, maxRetries: 100 },
            random: () => 0.5,
            invalidRecords: (e) => expired.push(e.record),
          },
          ts,
        ),
        map((ack) => ack.value.partitionKey),
      );
      // a acked after its flush (10), b expires at 350, c (sent at 510) acked then
      expectObservable(acks, '^ 999ms !').toBe('10ms a 499ms c', { a: 'ka', c: 'kc' });
    });
    expect(expired).toEqual([{ data: 'b', partitionKey: 'bad' }]);
    expect(ts.actions).toHaveLength(0);
  });

  it('unsubscribing while a record waits for a retry cancels it: no late report, no timer left', () => {
    const ts = testScheduler();
    const fake = refusing(ts);
    const expired: unknown[] = [];
    const run = runWriter(
      ts,
      {
        stream: 'out',
        client: fake,
        flushBuffer: { timeoutMs: 0 },
        recordTtlMs: 1000,
        retry: { base: 100, max: 100, maxRetries: 100 },
        invalidRecords: (e) => expired.push(e),
      },
      concat(from(values(1, () => 'bad')), NEVER),
      (subscription) => ts.schedule(() => subscription.unsubscribe(), 250),
    );
    expect(expired).toEqual([]);
    expect(run.error).toBeUndefined();
    expect(run.actionsLeft).toBe(0);
    const calls = fake.callsOf('PutRecordsCommand').length;
    expect(calls).toBeGreaterThan(1);
    expect(fake.callsOf('PutRecordsCommand').every((c) => c.at <= 250)).toBe(true);
  });
});
