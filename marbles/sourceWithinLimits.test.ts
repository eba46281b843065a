import type { Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { KinesisRecord } from '../src/record.js';
import { fromKinesis } from '../src/source/fromKinesis.js';
import type { SourceConfig } from '../src/source/SourceConfig.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';

const SHARDS = 3;
const PER_SHARD = 120;
const RECORD_BYTES = 100_000; // ~12 MB per shard: at 2 MiB/s at least ~5.7 s of reading
const RUN_MS = 120_000;

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

interface Outcome {
  fake: FakeKinesis;
  written: Map<string, string[]>;
  read: Map<string, string[]>;
  error: unknown;
}

/**
 * A backlog of 100 KB records on three shards, far over one second's read
 * budget, read by `fromKinesis` (polling) against a fake enforcing AWS's
 * limits, for two virtual minutes.
 */
function readBacklog(config: Omit<SourceConfig, 'stream' | 'client'>): Outcome {
  const scheduler = testScheduler();
  const outcome: Outcome = {
    fake: new FakeKinesis({ scheduler, limits: true }),
    written: new Map(),
    read: new Map(),
    error: undefined,
  };
  scheduler.run(({ flush }) => {
    const { fake } = outcome;
    fake.createStream('s', SHARDS);
    for (const shard of fake.shardsOf('s')) {
      const keys: string[] = [];
      for (let i = 0; i < PER_SHARD; i++) {
        const key = `${shard.shardId}/${i}`;
        // an explicit hash key inside the shard's range puts the record there
        fake.put(
          's',
          key,
          new Uint8Array(RECORD_BYTES),
          (shard.startingHashKey + BigInt(i)).toString(),
        );
        keys.push(key);
      }
      outcome.written.set(shard.shardId, keys);
    }
    let subscription: Subscription | undefined;
    scheduler.schedule(() => {
      subscription = fromKinesis({ stream: 's', client: fake, ...config }, scheduler).subscribe({
        next: (r: KinesisRecord) => {
          const list = outcome.read.get(r.shardId) ?? [];
          list.push(r.partitionKey);
          outcome.read.set(r.shardId, list);
        },
        error: (e: unknown) => (outcome.error = e),
      });
    }, 0);
    scheduler.schedule(() => subscription?.unsubscribe(), RUN_MS);
    flush();
  });
  return outcome;
}

/** Checks that hold whatever the reader's settings: limits kept, nothing lost, nothing twice. */
function expectWithinLimitsAndLossless(outcome: Outcome): void {
  const { fake } = outcome;
  // the read budget did bite: some GetRecords were refused
  expect(fake.throttleCounts.GetRecordsCommand).toBeGreaterThan(0);
  // never more than 5 GetRecords calls (refused ones included) per shard in any second
  expect(fake.peakPerSecond('GetRecordsCommand')).toBeLessThanOrEqual(5);
  // every record read exactly once, in order, per shard
  expect(outcome.error).toBeUndefined();
  expect(Object.fromEntries(outcome.read)).toEqual(Object.fromEntries(outcome.written));
}

describe('fromKinesis within AWS limits (virtual time, FakeKinesis with limits)', () => {
  it('with default settings reads a backlog over the 2 MiB/s budget within 5 GetRecords/s per shard and loses nothing', () => {
    const outcome = readBacklog({ initialPosition: 'TRIM_HORIZON' });
    expectWithinLimitsAndLossless(outcome);
  });

  it('with adaptive reads the same holds', () => {
    const outcome = readBacklog({ initialPosition: 'TRIM_HORIZON', polling: { adaptive: true } });
    expectWithinLimitsAndLossless(outcome);
  });

  it('with room for retries the same holds (the call gate includes retries)', () => {
    const outcome = readBacklog({
      initialPosition: 'TRIM_HORIZON',
      backoff: { getRecords: { maxRetries: 100 } },
    });
    expectWithinLimitsAndLossless(outcome);
  });
});
