import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { firstValueFrom, type Observable, take, timeout, toArray } from 'rxjs';
import type { KinesisRecord } from '../../../src/record.js';

export interface Written {
  readonly key: string;
  /** Global write index, also the record's data (as text). */
  readonly index: number;
}

let counter = 0;

/** Writes `count` records over `keys` partition keys with PutRecords (500 per call), in order. */
export async function writeRecords(
  client: KinesisClient,
  stream: string,
  count: number,
  keys = 50,
  options: { explicitHashKey?: string; prefix?: string } = {},
): Promise<Written[]> {
  const written: Written[] = [];
  for (let offset = 0; offset < count; offset += 500) {
    const batch: Written[] = [];
    for (let i = offset; i < Math.min(count, offset + 500); i++) {
      batch.push({ key: `${options.prefix ?? 'key'}-${i % keys}`, index: counter++ });
    }
    const out = await client.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: batch.map((w) => ({
          PartitionKey: w.key,
          Data: new TextEncoder().encode(String(w.index)),
          ...(options.explicitHashKey !== undefined
            ? { ExplicitHashKey: options.explicitHashKey }
            : {}),
        })),
      }),
    );
    if ((out.FailedRecordCount ?? 0) > 0) throw new Error('PutRecords failed partially');
    written.push(...batch);
  }
  return written;
}

/** The write index a record carries. */
export const indexOf = (record: KinesisRecord): number =>
  Number(new TextDecoder().decode(record.data));

/** Takes `count` records (or fails after `ms`). */
export function collect(
  source: Observable<KinesisRecord>,
  count: number,
  ms = 30_000,
): Promise<KinesisRecord[]> {
  return firstValueFrom(source.pipe(take(count), toArray(), timeout(ms)));
}

/** Keys whose records did not come out in write order (empty when all are in order). */
export function keysOutOfOrder(records: readonly KinesisRecord[]): string[] {
  const last = new Map<string, number>();
  const bad = new Set<string>();
  for (const record of records) {
    const index = indexOf(record);
    const previous = last.get(record.partitionKey);
    if (previous !== undefined && index <= previous) bad.add(record.partitionKey);
    last.set(record.partitionKey, index);
  }
  return [...bad];
}

/** True when each shard's records come in increasing sequence-number order. */
export function orderedPerShard(records: readonly KinesisRecord[]): boolean {
  const last = new Map<string, bigint>();
  for (const record of records) {
    const sequence = BigInt(record.sequenceNumber);
    const previous = last.get(record.shardId);
    if (previous !== undefined && sequence <= previous) return false;
    last.set(record.shardId, sequence);
  }
  return true;
}
