import { InvalidRecordError } from './InvalidRecordError.js';

/**
 * A partitioner that joins the values of some fields of the record with a
 * delimiter (Flink's `PARTITIONED BY` with `sink.partitioner-field-delimiter`,
 * default `|`): records that agree on those fields share a key, hence a
 * shard, hence their order. Strings, numbers, bigints, booleans and dates are
 * accepted; a missing field or another type is an `InvalidRecordError`.
 *
 * ## Example
 * ```ts
 * import { fieldsPartitioner } from 'rx-kinesis';
 * fieldsPartitioner(['user_id', 'behavior'])({ data: '', user_id: 7, behavior: 'buy' }); // "7|buy"
 * ```
 *
 * @param fields field names, in key order
 * @param delimiter what goes between the values; default `|` (may be empty)
 */
export function fieldsPartitioner(
  fields: readonly string[],
  delimiter = '|',
): (value: unknown) => string {
  return (value) => {
    let key = '';
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as string;
      const part = (value as Record<string, unknown>)[field];
      if (i > 0) key += delimiter;
      if (typeof part === 'string') key += part;
      else if (typeof part === 'number' || typeof part === 'bigint' || typeof part === 'boolean')
        key += String(part);
      else if (part instanceof Date) key += part.toISOString();
      else {
        throw new InvalidRecordError(
          `record.${field}`,
          part,
          'a string, number, bigint, boolean or Date for a partitionBy field',
          value,
        );
      }
    }
    return key;
  };
}
