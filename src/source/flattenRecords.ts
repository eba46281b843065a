import { Observable, type OperatorFunction } from 'rxjs';
import type { KinesisRecord, ShardRecord } from '../record.js';
import type { ShardOutput } from './readShards.js';

/**
 * Batches to single records, in order; shard events are dropped. Records
 * are pushed in a plain loop: no Observable per record.
 *
 * ## Example
 * ```ts
 * import { flattenRecords } from 'rx-kinesis';
 * discoverShards(client, streams).pipe(readShards(options), flattenRecords());
 * ```
 *
 * @returns an operator from `readShards` output to records
 */
export function flattenRecords<R extends ShardRecord = KinesisRecord>(): OperatorFunction<
  ShardOutput<R>,
  R
> {
  return (source) =>
    new Observable<R>((subscriber) =>
      source.subscribe({
        next: (output) => {
          if (!('records' in output)) return;
          const records = output.records;
          for (let i = 0; i < records.length && !subscriber.closed; i++) {
            subscriber.next(records[i] as R);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
