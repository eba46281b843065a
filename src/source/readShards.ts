import { type Observable, type OperatorFunction, concat, defer, of, tap } from 'rxjs';
import type { CheckpointState } from '../checkpoint/CheckpointState.js';
import type { KinesisRecord, ShardRecord } from '../record.js';
import { startPositionFor } from '../checkpoint/startPositionFor.js';
import type { DiscoveredShard } from './DiscoveredShard.js';
import { orderShards } from './orderShards.js';
import type { ShardBatch, ShardEvent } from './ShardEvent.js';
import type { ShardReader, ShardReaderContext } from './ShardReader.js';
import { shardRecordPrototype } from './shardContext.js';

/** What `readShards` emits: each shard's batches, framed by its lifecycle events. */
export type ShardOutput<R extends ShardRecord = KinesisRecord> = ShardBatch<R> | ShardEvent;

/** How `readShards` reads. */
export interface ReadShardsOptions<R extends ShardRecord = KinesisRecord> {
  /** The shard reader (`pollShard(...)`, or the EFO one). */
  readonly reader: ShardReader<R>;
  /** Client, scheduler, pause signal and fetch hook for every shard (the record prototype is per shard). */
  readonly context: Omit<ShardReaderContext, 'recordPrototype'>;
  /**
   * Where shards start: the checkpoint state with a pinned start for every
   * stream (`pinStarts`). Shards it marks finished are not read.
   */
  readonly state: CheckpointState;
  /** Which children announced by `ChildShards` this reader takes (the assignment). Default: all. */
  readonly accepts?: (shard: DiscoveredShard) => boolean;
}

/**
 * Reads discovered shards, parents first, each from where the checkpoint
 * state says: after its stored position, or at its stream's pinned start.
 * Emits per shard a `shardStarted` event (with the pinned start and the
 * parents), its batches, and, when a closed shard is read to its end (or no
 * longer exists), a `shardFinished` event with its children; the children
 * then start at once. Records get a per-shard prototype carrying the pinned
 * start and the parents, so `checkpoints()` can record both.
 *
 * ## Example
 * ```ts
 * import { discoverShards, readShards, pollShard, pinStarts, emptyCheckpointState } from 'rx-kinesis';
 * const state = pinStarts(emptyCheckpointState(), ['orders'], { type: 'TRIM_HORIZON' }, Date.now());
 * discoverShards(client, ['orders']).pipe(
 *   readShards({ reader: pollShard(), context: { client, scheduler: asyncScheduler }, state }),
 * );
 * ```
 *
 * @param options reader, shared reader context, checkpoint state, assignment
 * @returns an operator from discovered shards to batches and shard events
 */
export function readShards<R extends ShardRecord = KinesisRecord>(
  options: ReadShardsOptions<R>,
): OperatorFunction<DiscoveredShard, ShardOutput<R>> {
  const { reader, context, state, accepts } = options;
  // Travels with every record and shardStarted, so checkpoints() keeps positions of quiet shards.
  const resumed = Object.keys(state.shards).length > 0 ? { resumed: state } : {};
  const readOne = (shard: DiscoveredShard): Observable<ShardOutput<R>> =>
    defer(() => {
      const start = startPositionFor(state, shard.stream, shard.shardId);
      if (start === 'finished') return of<ShardOutput<R>>();
      const pinnedStart = state.starts[shard.stream];
      const parentShardIds = shard.parentShardIds;
      const recordPrototype = shardRecordPrototype({
        ...(pinnedStart !== undefined ? { pinnedStart } : {}),
        pinnedStarts: state.starts,
        parentShardIds,
        ...resumed,
      });
      let childShards: readonly DiscoveredShard[] = [];
      const started: ShardEvent = {
        type: 'shardStarted',
        stream: shard.stream,
        shardId: shard.shardId,
        parentShardIds,
        ...(pinnedStart !== undefined ? { pinnedStart } : {}),
        ...resumed,
      };
      return concat(
        of(started),
        reader(shard, start, { ...context, recordPrototype }).pipe(
          tap((batch) => {
            if (batch.childShards !== undefined) childShards = batch.childShards;
          }),
        ),
        defer(() =>
          of<ShardEvent>({
            type: 'shardFinished',
            stream: shard.stream,
            shardId: shard.shardId,
            childShards,
          }),
        ),
      );
    });
  return orderShards(readOne, {
    childrenOf: (output) => ('records' in output ? output.childShards : undefined),
    isFinished: (shard) => startPositionFor(state, shard.stream, shard.shardId) === 'finished',
    ...(accepts !== undefined ? { accepts } : {}),
  });
}
