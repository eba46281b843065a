import type * as t from 'io-ts';
import type { RecordFormat, RowCodec } from './RecordFormat.js';
import { RowEncodeError } from './RowEncodeError.js';
import { rowProblems } from './rowProblems.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/**
 * A value JSON can hold, or a `RowEncodeError` naming its field: JSON.stringify
 * alone writes NaN and Infinity as `null` (a row that then fails to decode) and
 * throws a bare TypeError on a bigint.
 */
function jsonValue(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new RowEncodeError('json', key, 'a finite number (JSON has no NaN or Infinity)', value);
  if (typeof value === 'bigint')
    throw new RowEncodeError('json', key, 'a number or a string (JSON has no bigint)', value);
  return value;
}

/**
 * The `json` format: one UTF-8 JSON document per record, validated by the
 * row codec (like Flink's `'format' = 'json'` with
 * `json.fail-on-missing-field` — a missing required field is an error).
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { jsonFormat } from 'rx-kinesis';
 * const rows = jsonFormat().bind(t.type({ user_id: t.number, behavior: t.string }));
 * rows.encode({ user_id: 1, behavior: 'buy' }); // bytes of {"user_id":1,"behavior":"buy"}
 * ```
 */
export function jsonFormat(): RecordFormat {
  return {
    name: 'json',
    bind<A, O>(rowCodec: t.Type<A, O, unknown>): RowCodec<A> {
      return {
        format: 'json',
        decode(data) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(decoder.decode(data));
          } catch (error) {
            return {
              _tag: 'Left',
              left: [
                {
                  field: '',
                  expected: `valid UTF-8 JSON (${(error as Error).message})`,
                  value: data,
                },
              ],
            };
          }
          const result = rowCodec.decode(parsed);
          return result._tag === 'Right'
            ? result
            : { _tag: 'Left', left: rowProblems(result.left) };
        },
        encode(row) {
          return encoder.encode(JSON.stringify(rowCodec.encode(row), jsonValue));
        },
      };
    },
  };
}
