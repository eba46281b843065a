// Kinesis's limit on partition keys: Flink's fields partitioner cuts longer keys to it, and so do we.
import { MAX_PARTITION_KEY_LENGTH } from '../sink/toSinkEntry.js';

/**
 * The partition key of a row of a PARTITIONED BY table: the text of each
 * field (`null` for null, as Java's `String.valueOf`), joined with the
 * delimiter, cut at 256 characters as Flink's fields partitioner does.
 *
 * ## Example
 * ```ts
 * import { partitionKeyOf } from 'rx-kinesis';
 * partitionKeyOf({ user_id: 1, item_id: null }, ['user_id', 'item_id'], '|'); // '1|null'
 * ```
 */
export function partitionKeyOf(
  encoded: Readonly<Record<string, unknown>>,
  fields: readonly string[],
  delimiter: string,
): string {
  let key = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) key += delimiter;
    const value = encoded[fields[i] as string];
    key +=
      value === null || value === undefined
        ? 'null'
        : typeof value === 'string'
          ? value
          : String(value);
  }
  return key.length > MAX_PARTITION_KEY_LENGTH ? key.slice(0, MAX_PARTITION_KEY_LENGTH) : key;
}
