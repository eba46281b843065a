import type { SchedulerLike } from 'rxjs';
import { utf8Length } from '../kpl/utf8Length.js';
import { partitionHash } from './partitionHash.js';
import type { ShardMaps } from './ShardMaps.js';
import { TokenBucket } from './TokenBucket.js';

/** Kinesis's write limits of one shard, per second. */
export const SHARD_WRITE_RECORDS_PER_SECOND = 1000;
export const SHARD_WRITE_BYTES_PER_SECOND = 1024 * 1024;
/** Share of a second's budget a bucket may hold (the burst); the rest refills over the second. */
const BURST_SHARE = 0.1;

/** What may go in the next PutRecords of a batch, and how long the rest must wait. */
export interface Admission {
  /** Indices to send now (their tokens taken), in order. */
  readonly now: number[];
  /** Indices held back, in order. */
  readonly later: number[];
  /** Milliseconds until the first held-back shard has room again (0 when none is held). */
  readonly waitMs: number;
}

/** One entry as the limiter sees it. */
export interface AdmissionEntry {
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  readonly data: Uint8Array;
  /** Data plus partition key in bytes, when known (else computed). */
  readonly size?: number;
}

/**
 * What `putRecordsWithRetry` asks before each request (`rateLimit`): for a
 * batch, which of its entries still to store may go now; and what it tells
 * after: on which shard each stored one landed.
 */
export interface PutAdmission {
  /** The admission of one batch (it may remember per-entry work, e.g. the predicted shard). */
  forBatch(stream: string, entries: readonly AdmissionEntry[]): BatchAdmission;
  stored(stream: string, shardId: string): void;
}

/** The admission of one batch: `admit(indices)` before each request. */
export interface BatchAdmission {
  admit(indices: readonly number[]): Admission;
}

/**
 * Keeps every shard under `percent` % of its write limits (1,000 records/s
 * and 1 MiB/s, data plus partition key): predicts each record's shard from
 * the MD5 of its partition key (or its explicit hash key) and the stream's
 * shard map, and gives each shard two token buckets (records, bytes) on the
 * scheduler's clock. A bucket holds a tenth of a second's budget and refills
 * the other nine tenths over the second, so no sliding second ever sees more
 * than `percent` % of the limits from this sink (a steady stream gets 90 %
 * of it). Within a batch, once a shard is out of tokens every later entry for
 * it waits too, so per-shard (and per-key) order is kept; held-back entries
 * wait until their shard's bucket has room for them or is half full, so they
 * go in few requests, not one per token. An entry whose shard cannot be
 * predicted (no map yet, a gap after a reshard) goes at once and the map is
 * listed again.
 *
 * ## Example
 * ```ts
 * import { asyncScheduler } from 'rxjs';
 * import { ShardMaps, ShardRateLimiter, DEFAULT_BACKOFF } from 'rx-kinesis';
 * const maps = new ShardMaps(client, { backoff: DEFAULT_BACKOFF.listShards }, asyncScheduler);
 * const limiter = new ShardRateLimiter(80, maps, asyncScheduler);
 * ```
 */
export class ShardRateLimiter implements PutAdmission {
  private readonly buckets = new Map<string, [TokenBucket, TokenBucket]>();
  private readonly recordsPerSecond: number;
  private readonly bytesPerSecond: number;

  constructor(
    readonly percent: number,
    private readonly maps: ShardMaps,
    private readonly scheduler: SchedulerLike,
  ) {
    this.recordsPerSecond = (SHARD_WRITE_RECORDS_PER_SECOND * percent) / 100;
    this.bytesPerSecond = (SHARD_WRITE_BYTES_PER_SECOND * percent) / 100;
  }

  forBatch(stream: string, entries: readonly AdmissionEntry[]): BatchAdmission {
    // per entry, predicted once: its shard (null: not predictable) and its size
    const shards: Array<string | null | undefined> = new Array(entries.length);
    const sizes: number[] = new Array(entries.length);
    let mapUsed: object | undefined;
    return {
      admit: (indices) => {
        const map = this.maps.current(stream);
        if (map === undefined) return { now: [...indices], later: [], waitMs: 0 };
        if (map !== mapUsed) {
          // a new listing: predict again
          mapUsed = map;
          shards.fill(undefined);
        }
        const now = this.scheduler.now();
        const admitted: number[] = [];
        const later: number[] = [];
        // per blocked shard: the records and bytes its held-back entries need
        let blocked: Map<string, [number, number]> | undefined;
        let missed = false;
        for (const index of indices) {
          let shard = shards[index];
          if (shard === undefined) {
            const entry = entries[index] as AdmissionEntry;
            shard = map.shardOf(partitionHash(entry.partitionKey, entry.explicitHashKey)) ?? null;
            shards[index] = shard;
            sizes[index] = entry.size ?? entry.data.length + utf8Length(entry.partitionKey);
          }
          if (shard === null) {
            missed = true;
            admitted.push(index);
            continue;
          }
          const size = sizes[index] as number;
          const need = blocked?.get(shard);
          if (need !== undefined) {
            need[0] += 1;
            need[1] += size;
            later.push(index);
            continue;
          }
          const [records, bytes] = this.bucketsOf(stream, shard, now);
          if (records.has(1, now) && bytes.has(size, now)) {
            records.take(1, now);
            bytes.take(size, now);
            admitted.push(index);
          } else {
            (blocked ??= new Map()).set(shard, [1, size]);
            later.push(index);
          }
        }
        if (missed) this.maps.missed(stream);
        let waitMs = 0;
        if (blocked !== undefined) {
          waitMs = Infinity;
          for (const [shard, [needRecords, needBytes]] of blocked) {
            const [records, bytes] = this.bucketsOf(stream, shard, now);
            const wait = Math.max(
              records.waitFor(Math.min(needRecords, records.capacity / 2), now),
              bytes.waitFor(Math.min(needBytes, bytes.capacity / 2), now),
              1,
            );
            waitMs = Math.min(waitMs, wait);
          }
        }
        return { now: admitted, later, waitMs };
      },
    };
  }

  stored(stream: string, shardId: string): void {
    this.maps.stored(stream, shardId);
  }

  private bucketsOf(stream: string, shard: string, now: number): [TokenBucket, TokenBucket] {
    const key = `${stream}\n${shard}`;
    let pair = this.buckets.get(key);
    if (pair === undefined) {
      pair = [
        new TokenBucket(
          Math.max(1, this.recordsPerSecond * BURST_SHARE),
          this.recordsPerSecond * (1 - BURST_SHARE),
          now,
        ),
        new TokenBucket(
          this.bytesPerSecond * BURST_SHARE,
          this.bytesPerSecond * (1 - BURST_SHARE),
          now,
        ),
      ];
      this.buckets.set(key, pair);
    }
    return pair;
  }
}
