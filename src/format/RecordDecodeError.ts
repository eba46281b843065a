import { show } from '../client/errors.js';
import type { KinesisRecord } from '../record.js';
import type { FieldProblem } from './RecordFormat.js';

/**
 * A record's data did not decode into a row. Names the record (stream,
 * shard, sequence number and sub-sequence number) and the field, with what
 * was expected and what was found.
 */
export class RecordDecodeError extends Error {
  override readonly name = 'RecordDecodeError';
  readonly stream: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number | undefined;
  /** The first bad field (`''` when the whole record is unreadable). */
  readonly field: string;
  constructor(
    readonly format: string,
    readonly record: KinesisRecord,
    readonly problems: readonly FieldProblem[],
  ) {
    const where =
      `stream "${record.stream}" shard "${record.shardId}" sequence number ${record.sequenceNumber}` +
      (record.subSequenceNumber === undefined ? '' : `/${record.subSequenceNumber}`);
    super(
      `cannot decode ${format} record at ${where}: ` +
        problems
          .map(
            (p) =>
              `${p.field === '' ? 'record' : `field "${p.field}"`}: expected ${p.expected}, got ${show(p.value)}`,
          )
          .join('; '),
    );
    this.stream = record.stream;
    this.shardId = record.shardId;
    this.sequenceNumber = record.sequenceNumber;
    this.subSequenceNumber = record.subSequenceNumber;
    this.field = problems[0]?.field ?? '';
  }
}

/** A record that did not decode, sent to the dead-letter output instead of failing the stream. */
export interface DeadLetter {
  readonly record: KinesisRecord;
  readonly error: RecordDecodeError;
}
