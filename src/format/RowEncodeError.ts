import { show } from '../client/errors.js';

/** A row could not be written in a format (a value the format cannot hold). Names the field. */
export class RowEncodeError extends Error {
  override readonly name = 'RowEncodeError';
  constructor(
    readonly format: string,
    readonly field: string,
    readonly expected: string,
    readonly value: unknown,
  ) {
    super(
      `cannot encode ${format} row: ${field === '' ? 'row' : `field "${field}"`}: expected ${expected}, got ${show(value)}`,
    );
  }
}
