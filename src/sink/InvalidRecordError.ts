import { show } from '../client/errors.js';

/**
 * A value given to the sink cannot be sent: a record over 1 MiB, a partition
 * key that is empty or over 256 characters, a bad explicit hash key, data
 * that is neither bytes nor a string, no target stream. Raised before any
 * request carrying it. By default fatal (like Flink); with
 * `invalidRecords: (error) => ...` it goes to that handler instead — never
 * silently dropped. `path` names the field (`record.partitionKey`), `found`
 * what was there, `expected` what would have been accepted, `record` the value.
 */
export class InvalidRecordError extends Error {
  override readonly name: 'InvalidRecordError' | 'RecordExpiredError' = 'InvalidRecordError';
  constructor(
    readonly path: string,
    readonly found: unknown,
    readonly expected: string,
    readonly record: unknown,
  ) {
    super(`${path}: expected ${expected}, got ${describe(found)}`);
  }
}

function describe(found: unknown): string {
  if (typeof found === 'string' && found.length > 40) {
    return `a string of ${found.length} characters (${show(found.slice(0, 20))}...)`;
  }
  return show(found);
}
