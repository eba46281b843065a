import { Observable, type OperatorFunction } from 'rxjs';
import { type ShardRecordEvent, isShardEvent } from '../source/ShardEvent.js';
import { shardContextOf } from '../source/shardContext.js';
import { checkpointPatch } from './checkpointPatch.js';
import {
  type CheckpointState,
  type ShardCheckpoint,
  emptyCheckpointState,
} from './CheckpointState.js';

type ShardMap = Record<string, ShardCheckpoint>;
type LogEntry = readonly [key: string, entry: ShardCheckpoint];

/**
 * Turns handled records (Kinesis or DynamoDB Streams ones; and, from
 * `readKinesis` / `readDynamoDBStreams`, shard events) into
 * checkpoint states: what `scan(advanceCheckpoint, initial)` would emit,
 * one state per event, each a plain JSON value; pass one back as
 * `checkpoint` to resume after it.
 *
 * Put it after the work that must not be lost (for example after the sink's
 * acknowledgements), so the state only advances over records really handled.
 *
 * Records of a reading that resumed from a state (`checkpoint` or
 * `checkpointStore`) carry that state (`shard.resumed`, shared): the first one
 * fills in, once, every entry `initial` lacks, so `checkpoints()` with no
 * argument saves complete states even for shards that get no record in this
 * run. Passing the same state as `initial` is still fine.
 *
 * Its cost per record does not grow with the number of shards: each emitted
 * state shares a snapshot and an append-only change log with its neighbours,
 * and builds its `shards` map only when something reads it (a `JSON.stringify`,
 * a property access), once. So `checkpoints(), auditTime(5000)` builds a map
 * every five seconds, not per record.
 *
 * ## Example
 * ```ts
 * import { auditTime } from 'rxjs';
 * import { fromKinesis, checkpoints } from 'rx-kinesis';
 * fromKinesis({ stream: 'orders', region: 'eu-west-1' })
 *   .pipe(checkpoints(), auditTime(5000))
 *   .subscribe((state) => save(JSON.stringify(state)));
 * ```
 *
 * @param initial the state resumed from (the same one given to `fromKinesis`)
 * @returns an operator from records to checkpoint states
 */
export function checkpoints(
  initial: CheckpointState = emptyCheckpointState(),
): OperatorFunction<ShardRecordEvent, CheckpointState> {
  return (source) =>
    new Observable<CheckpointState>((subscriber) => {
      // The latest state, changed in place and never emitted: patches are computed against it.
      const working: CheckpointState = {
        version: 1,
        starts: initial.starts,
        shards: Object.assign({}, initial.shards),
      };
      let shardCount = Object.keys(working.shards).length;
      // What emitted states are built from: a snapshot nobody changes, plus a log of changes.
      let base: ShardMap = initial.shards;
      let log: LogEntry[] = [];
      let latest: CheckpointState = initial;
      let adopted = false;
      // Once: what the reading resumed from, for the shards this state does not know.
      const adopt = (resumed: CheckpointState): void => {
        adopted = true;
        let changed = false;
        for (const stream in resumed.starts) {
          if (working.starts[stream] === undefined) {
            working.starts = { ...resumed.starts, ...working.starts };
            changed = true;
            break;
          }
        }
        for (const key in resumed.shards) {
          if (working.shards[key] !== undefined) continue;
          working.shards[key] = resumed.shards[key] as ShardCheckpoint;
          shardCount += 1;
          changed = true;
        }
        if (!changed) return;
        base = Object.assign({}, working.shards);
        log = [];
        latest = new LoggedCheckpointState(working.starts, base, log, 0);
      };
      return source.subscribe({
        next: (event) => {
          if (!adopted) {
            // A reading puts `resumed` on every record and shardStarted or on none: the first
            // one from a reading decides, so later records pay nothing.
            const from = isShardEvent(event)
              ? event.type === 'shardStarted'
                ? event
                : undefined
              : shardContextOf(event);
            if (from?.resumed !== undefined) adopt(from.resumed);
            else if (from !== undefined) adopted = true;
          }
          const patch = checkpointPatch(working, event);
          if (patch !== undefined) {
            if (patch.starts !== undefined) {
              // Copy on write: emitted states keep the starts they were emitted with.
              working.starts = { ...working.starts, ...patch.starts };
            }
            for (const change of patch.shards) {
              if (working.shards[change[0]] === undefined) shardCount += 1;
              working.shards[change[0]] = change[1];
              log.push(change);
            }
            // Compact when the log outgrows the map: amortised O(1) per change.
            if (log.length > 4 * shardCount + 64) {
              base = Object.assign({}, working.shards);
              log = [];
            }
            latest = new LoggedCheckpointState(working.starts, base, log, log.length);
          }
          subscriber.next(latest);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

/**
 * A state whose `shards` is built from `base` and the first `length` log
 * entries when first read, then kept as a plain data property. `shards` is an
 * own enumerable property from the start (an accessor until read), so JSON,
 * spread, `structuredClone` and `toEqual` see ordinary data. A class, not a
 * literal with a getter: V8 builds this ~4x faster, and it is made per record.
 */
class LoggedCheckpointState {
  readonly version = 1 as const;
  readonly #base: ShardMap;
  readonly #log: readonly LogEntry[];
  readonly #length: number;
  declare readonly shards: ShardMap;

  static readonly #lazyShards: PropertyDescriptor = {
    get(this: LoggedCheckpointState): ShardMap {
      return this.#build();
    },
    enumerable: true,
    configurable: true,
  };

  constructor(
    readonly starts: CheckpointState['starts'],
    base: ShardMap,
    log: readonly LogEntry[],
    length: number,
  ) {
    this.#base = base;
    this.#log = log;
    this.#length = length;
    Object.defineProperty(this, 'shards', LoggedCheckpointState.#lazyShards);
  }

  #build(): ShardMap {
    const shards: ShardMap = Object.assign({}, this.#base);
    for (let i = 0; i < this.#length; i++) {
      const change = this.#log[i] as LogEntry;
      shards[change[0]] = change[1];
    }
    Object.defineProperty(this, 'shards', {
      value: shards,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return shards;
  }
}
