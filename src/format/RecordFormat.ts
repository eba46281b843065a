import type { Either } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';

/** What is wrong with one record's bytes: the field (`''` for the whole record), what was expected and what was found. */
export interface FieldProblem {
  readonly field: string;
  readonly expected: string;
  readonly value: unknown;
}

/** A format bound to a row codec: bytes of one Kinesis record ↔ one typed row. */
export interface RowCodec<A> {
  /** The format's name (`json`, `csv`, `raw`, `avro`). */
  readonly format: string;
  /** The row in `data`, or every problem found (never throws). */
  decode(data: Uint8Array): Either<readonly FieldProblem[], A>;
  /** The bytes of `row`. */
  encode(row: A): Uint8Array;
}

/**
 * A serialization format (like Flink's `'format' = 'json'`): bound to an
 * io-ts row codec it reads and writes typed rows. The codec validates what
 * the format parsed, so a row is either fully typed or an error naming the field.
 */
export interface RecordFormat {
  readonly name: string;
  bind<A, O>(rowCodec: t.Type<A, O, unknown>): RowCodec<A>;
}
