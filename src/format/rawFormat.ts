import type * as t from 'io-ts';
import { ConfigError } from '../client/errors.js';
import { columnsOfCodec } from './columnsOfCodec.js';
import type { RecordFormat, RowCodec } from './RecordFormat.js';
import { rowProblems } from './rowProblems.js';

/** Options of the `raw` format (Flink's `raw.*`). */
export interface RawOptions {
  /** Read the record as UTF-8 text (`'string'`, default) or keep its bytes (`'bytes'`). */
  readonly as?: 'string' | 'bytes';
  /** `raw.charset`: only `UTF-8` (what TextEncoder writes in every runtime). */
  readonly charset?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/**
 * The `raw` format: the record's data as one value, a UTF-8 string or the
 * bytes themselves. The row codec is either that value's codec (`t.string`)
 * or an object codec with exactly one field (a one-column table, as Flink's
 * raw format requires), which the value is wrapped into.
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { rawFormat } from 'rx-kinesis';
 * const lines = rawFormat().bind(t.string);
 * lines.encode('hello'); // Uint8Array of 'hello'
 * ```
 */
export function rawFormat(options: RawOptions = {}): RecordFormat {
  const as = options.as ?? 'string';
  if (options.charset !== undefined && !/^utf-?8$/i.test(options.charset)) {
    throw new ConfigError([
      {
        path: 'raw.charset',
        value: options.charset,
        expected: 'UTF-8 (the only charset every runtime can encode)',
      },
    ]);
  }
  return {
    name: 'raw',
    bind<A, O>(rowCodec: t.Type<A, O, unknown>): RowCodec<A> {
      const columns = columnsOfCodec(rowCodec);
      if (columns !== undefined && columns.length !== 1) {
        throw new ConfigError([
          {
            path: 'format',
            value: columns.map((c) => c.name),
            expected: 'for raw, exactly one column',
          },
        ]);
      }
      const field = columns?.[0]?.name;
      return {
        format: 'raw',
        decode(data) {
          let value: unknown = data;
          if (as === 'string') {
            try {
              value = decoder.decode(data);
            } catch {
              return {
                _tag: 'Left',
                left: [{ field: field ?? '', expected: 'valid UTF-8 text', value: data }],
              };
            }
          }
          const result = rowCodec.decode(field === undefined ? value : { [field]: value });
          return result._tag === 'Right'
            ? result
            : { _tag: 'Left', left: rowProblems(result.left) };
        },
        encode(row) {
          const encoded = rowCodec.encode(row) as unknown;
          const value = field === undefined ? encoded : (encoded as Record<string, unknown>)[field];
          if (value instanceof Uint8Array) return value;
          if (typeof value === 'string') return encoder.encode(value);
          if (value === null || value === undefined) return new Uint8Array(0);
          return encoder.encode(String(value));
        },
      };
    },
  };
}
