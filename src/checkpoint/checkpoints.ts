import { type OperatorFunction, scan } from 'rxjs';
import type { KinesisEvent } from '../source/ShardEvent.js';
import { advanceCheckpoint } from './advanceCheckpoint.js';
import { type CheckpointState, emptyCheckpointState } from './CheckpointState.js';

/**
 * Turns handled records (and, from `readKinesis`, shard events) into
 * checkpoint states: a `scan` with the pure `advanceCheckpoint` reducer.
 * Each emitted state is a plain JSON value; pass one back as `checkpoint`
 * to resume after it.
 *
 * Put it after the work that must not be lost (for example after the sink's
 * acknowledgements), so the state only advances over records really handled.
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
): OperatorFunction<KinesisEvent, CheckpointState> {
  return scan(advanceCheckpoint, initial);
}
