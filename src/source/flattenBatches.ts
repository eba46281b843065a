import { Observable, type OperatorFunction } from 'rxjs';
import type { KinesisRecord, ShardRecord } from '../record.js';
import type { ShardRecordEvent } from './ShardEvent.js';
import type { ShardOutput } from './readShards.js';

/**
 * Batches and shard events to single records and events, in order. Records
 * are pushed in a plain loop: no Observable per record.
 *
 * ## Example
 * ```ts
 * import { flattenBatches } from 'rx-kinesis';
 * discoverShards(client, streams).pipe(readShards(options), flattenBatches());
 * ```
 *
 * @returns an operator from `readShards` output to records and shard events
 */
export function flattenBatches<R extends ShardRecord = KinesisRecord>(): OperatorFunction<
  ShardOutput<R>,
  ShardRecordEvent<R>
> {
  return (source) =>
    new Observable<ShardRecordEvent<R>>((subscriber) =>
      source.subscribe({
        next: (output) => {
          if (!('records' in output)) {
            subscriber.next(output);
            return;
          }
          const records = output.records;
          // A downstream take() may unsubscribe in the middle of a batch.
          for (let i = 0; i < records.length && !subscriber.closed; i++) {
            subscriber.next(records[i] as R);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
