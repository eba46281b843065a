import type * as t from 'io-ts';
import { Observable, type OperatorFunction } from 'rxjs';
import type { KinesisRecord } from '../record.js';
import { type DeadLetter, RecordDecodeError } from './RecordDecodeError.js';
import type { RecordFormat } from './RecordFormat.js';

/** Options of `decodeRecords`. */
export interface DecodeRecordsOptions<A, R> {
  /**
   * Where records that do not decode go (a `Subject`, or any `{ next }`).
   * Without it, the first such record fails the stream with a `RecordDecodeError`.
   */
  readonly deadLetter?: { next(letter: DeadLetter): void };
  /** What to emit for a decoded row (default: the row); e.g. add metadata from the record. */
  readonly select?: (row: A, record: KinesisRecord) => R;
}

/**
 * Decodes each record's data with a format and an io-ts row codec.
 * A record that does not decode is never dropped silently: it fails the
 * stream with a `RecordDecodeError` naming the record (stream, shard,
 * sequence number) and the field, or, when `deadLetter` is given, goes there
 * (with that error) and the stream goes on.
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { Subject } from 'rxjs';
 * import { decodeRecords, fromKinesis, jsonFormat, type DeadLetter } from 'rx-kinesis';
 * const Click = t.type({ user_id: t.number, page: t.string });
 * const bad = new Subject<DeadLetter>();
 * fromKinesis({ stream: 'clicks' })
 *   .pipe(decodeRecords(jsonFormat(), Click, { deadLetter: bad }))
 *   .subscribe((click) => console.log(click.page));
 * ```
 */
export function decodeRecords<A, O, R = A>(
  format: RecordFormat,
  rowCodec: t.Type<A, O, unknown>,
  options: DecodeRecordsOptions<A, R> = {},
): OperatorFunction<KinesisRecord, R> {
  const rows = format.bind(rowCodec);
  const { deadLetter, select } = options;
  return (source) =>
    new Observable<R>((subscriber) =>
      source.subscribe({
        next(record) {
          // a synchronous source goes on after an error until its subscribe returns
          if (subscriber.closed) return;
          // a format's decoder, `select` and a dead-letter observer are user code: a throw goes
          // to the error channel, as in `map` (from this plain observer it would be uncaught)
          let row: R;
          try {
            const result = rows.decode(record.data);
            if (result._tag === 'Left') {
              const error = new RecordDecodeError(rows.format, record, result.left);
              if (deadLetter === undefined) subscriber.error(error);
              else deadLetter.next({ record, error });
              return;
            }
            row =
              select === undefined ? (result.right as unknown as R) : select(result.right, record);
          } catch (thrown) {
            subscriber.error(thrown);
            return;
          }
          subscriber.next(row);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
