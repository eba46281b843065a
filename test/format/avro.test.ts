import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { type AvroSchema, avroFormat } from '../../src/format/avro/avroFormat.js';
import { RowEncodeError } from '../../src/format/RowEncodeError.js';

const schema: AvroSchema = {
  type: 'record',
  name: 'UserBehavior',
  fields: [
    { name: 'user_id', type: 'long' },
    { name: 'behavior', type: 'string' },
    { name: 'score', type: ['null', 'double'], default: null },
  ],
};
const Row = t.type({ user_id: t.number, behavior: t.string, score: t.union([t.number, t.null]) });

describe('avro format', () => {
  const rows = avroFormat(schema).bind(Row);

  it('round-trips rows in Avro binary', () => {
    for (const row of [
      { user_id: 1, behavior: 'buy', score: null },
      { user_id: 2 ** 40, behavior: 'ünïcödé', score: 0.25 },
    ]) {
      const encoded = rows.encode(row);
      expect(encoded).toBeInstanceOf(Uint8Array);
      const decoded = rows.decode(encoded);
      expect(decoded._tag === 'Right' && { ...decoded.right }).toEqual(row);
    }
  });

  it('names the field a row cannot hold', () => {
    const bad = { user_id: 1.5, behavior: 'x', score: null };
    expect(() => rows.encode(bad)).toThrowError(RowEncodeError);
    expect(() => rows.encode(bad)).toThrowError(/field "user_id": expected Avro long, got 1.5/);
  });

  it('reports truncated bytes and rows the codec refuses', () => {
    const encoded = rows.encode({ user_id: 1, behavior: 'buy', score: null });
    expect(rows.decode(encoded.subarray(0, 2))).toMatchObject({ left: [{ field: '' }] });
    const strict = avroFormat(schema).bind(
      t.type({ user_id: t.string, behavior: t.string, score: t.null }),
    );
    expect(strict.decode(encoded)).toMatchObject({
      left: [{ field: 'user_id', expected: 'string', value: 1 }],
    });
  });

  it('rejects an invalid schema', () => {
    expect(() =>
      avroFormat({ type: 'record', name: 'X', fields: [{ name: 'a', type: 'nope' }] }),
    ).toThrowError(/avro\.schema: expected a valid Avro schema/);
  });
});
