import avsc from 'avsc';
import type * as t from 'io-ts';
import { ConfigError } from '../../client/errors.js';
import type { RecordFormat, RowCodec } from '../RecordFormat.js';
import { RowEncodeError } from '../RowEncodeError.js';
import { rowProblems } from '../rowProblems.js';

/** An Avro schema as JSON (what `avsc` takes). */
export type AvroSchema = avsc.Schema;

/**
 * The `avro` format (Avro binary, no container header, as Flink's `avro`
 * format writes one record per message), with `avsc`. The decoded Avro
 * value is validated by the row codec; a row the schema cannot hold is a
 * `RowEncodeError` naming the field.
 *
 * `avsc` needs Node's `buffer`, `util` and `stream`, so this lives in its own
 * entry (`rx-kinesis/avro`) and the core stays browser-bundleable.
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { avroFormat } from 'rx-kinesis/avro';
 * const schema = { type: 'record', name: 'Click', fields: [{ name: 'user_id', type: 'long' }] };
 * const rows = avroFormat(schema).bind(t.type({ user_id: t.number }));
 * rows.decode(rows.encode({ user_id: 7 })); // right({ user_id: 7 })
 * ```
 */
export function avroFormat(schema: AvroSchema | avsc.Type): RecordFormat {
  let type: avsc.Type;
  try {
    type = schema instanceof avsc.Type ? schema : avsc.Type.forSchema(schema);
  } catch (error) {
    throw new ConfigError([
      {
        path: 'avro.schema',
        value: schema,
        expected: `a valid Avro schema (${(error as Error).message})`,
      },
    ]);
  }
  return {
    name: 'avro',
    bind<A, O>(rowCodec: t.Type<A, O, unknown>): RowCodec<A> {
      return {
        format: 'avro',
        decode(data) {
          let value: unknown;
          try {
            value = type.fromBuffer(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
          } catch (error) {
            return {
              _tag: 'Left',
              left: [
                {
                  field: '',
                  expected: `Avro binary of ${type.name ?? type.typeName} (${(error as Error).message})`,
                  value: data,
                },
              ],
            };
          }
          const result = rowCodec.decode(value);
          return result._tag === 'Right'
            ? result
            : { _tag: 'Left', left: rowProblems(result.left) };
        },
        encode(row) {
          const value = rowCodec.encode(row);
          let problem: { field: string; expected: string; value: unknown } | undefined;
          const valid = type.isValid(value, {
            errorHook(path: string[], found: unknown, fieldType: avsc.Type) {
              problem ??= {
                field: path.join('.'),
                expected: `Avro ${fieldType.typeName}`,
                value: found,
              };
            },
          });
          if (!valid) {
            const p = problem ?? { field: '', expected: `Avro ${type.typeName}`, value };
            throw new RowEncodeError('avro', p.field, p.expected, p.value);
          }
          const buffer = type.toBuffer(value);
          return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
        },
      };
    },
  };
}
