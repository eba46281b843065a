import { InvalidRecordError } from './InvalidRecordError.js';

/**
 * A record was not stored within `recordTtlMs` of the sink receiving it
 * (scheduler time): it is not sent again and goes to `invalidRecords` (by
 * default that fails the sink) — never dropped silently, unlike the KPL's
 * `RecordTtl`. A subtype of `InvalidRecordError`, so an `invalidRecords`
 * handler receives it too; tell them apart by `name`. `ageMs` is how long
 * the record had waited when it expired, `stream` where it was going.
 */
export class RecordExpiredError extends InvalidRecordError {
  override readonly name = 'RecordExpiredError';
  constructor(
    readonly stream: string,
    readonly ageMs: number,
    readonly ttlMs: number,
    record: unknown,
  ) {
    super(
      'record',
      `not stored after ${ageMs} ms`,
      `stored within recordTtlMs (${ttlMs} ms)`,
      record,
    );
    this.message = `a record for stream "${stream}" was not stored within recordTtlMs (${ttlMs} ms): it waited ${ageMs} ms`;
  }
}
