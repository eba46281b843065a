// Per-record cost of checkpointing: `checkpoints()` against the plain
// `scan(advanceCheckpoint)` (a copy of the shard map per record), same events, same run.
import { from, last, lastValueFrom, scan } from 'rxjs';
import { advanceCheckpoint } from '../src/checkpoint/advanceCheckpoint.js';
import { checkpoints } from '../src/checkpoint/checkpoints.js';
import { emptyCheckpointState } from '../src/checkpoint/CheckpointState.js';
import type { KinesisRecord } from '../src/record.js';
import { shardRecordPrototype } from '../src/source/shardContext.js';

const RECORDS = 200_000;

function recordsFor(shards: number): KinesisRecord[] {
  const prototypes = Array.from({ length: shards }, () =>
    shardRecordPrototype({ pinnedStart: 'TRIM_HORIZON', parentShardIds: [] }),
  );
  return Array.from({ length: RECORDS }, (_, i) => {
    const shard = i % shards;
    const record = Object.create(prototypes[shard] as object) as Record<string, unknown>;
    record['stream'] = 'orders';
    record['shardId'] = `shardId-${String(shard).padStart(12, '0')}`;
    record['sequenceNumber'] = String(49_600_000_000_000_000_000n + BigInt(i));
    record['partitionKey'] = `k${i}`;
    record['data'] = new Uint8Array(0);
    record['approximateArrivalTimestamp'] = new Date(0);
    return record as unknown as KinesisRecord;
  });
}

async function nsPerRecord(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm up
  const started = performance.now();
  await run();
  return ((performance.now() - started) * 1e6) / RECORDS;
}

export async function benchCheckpoint(): Promise<void> {
  console.log(
    `checkpoint state per record, ${RECORDS.toLocaleString('en')} records spread over the shards:`,
  );
  for (const shards of [4, 64, 512]) {
    const records = recordsFor(shards);
    const plain = await nsPerRecord(() =>
      lastValueFrom(from(records).pipe(scan(advanceCheckpoint, emptyCheckpointState()))),
    );
    const ours = await nsPerRecord(async () => {
      // read the final state, as a store would: its shard map is built then
      const state = await lastValueFrom(from(records).pipe(checkpoints(), last()));
      return JSON.stringify(state).length;
    });
    console.log(
      `  ${String(shards).padStart(3)} shards: checkpoints() ${ours.toFixed(0)} ns, scan(advanceCheckpoint) ${plain.toFixed(0)} ns, ratio ${(ours / plain).toFixed(2)}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCheckpoint();
