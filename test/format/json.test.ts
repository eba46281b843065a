import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { jsonFormat } from '../../src/format/jsonFormat.js';
import { bytes, text } from './support.js';

const Row = t.intersection([
  t.type({ user_id: t.number, behavior: t.string, tags: t.array(t.string) }),
  t.partial({ note: t.union([t.string, t.null]) }),
]);

describe('json format', () => {
  const rows = jsonFormat().bind(Row);

  it('round-trips rows, nested values and unicode', () => {
    for (const row of [
      { user_id: 1, behavior: 'buy', tags: [] },
      { user_id: 2, behavior: 'pv "quoted", ünïcödé 🎉', tags: ['a', 'b'], note: null },
    ]) {
      const encoded = rows.encode(row);
      expect(JSON.parse(text(encoded))).toEqual(row);
      expect(rows.decode(encoded)).toEqual({ _tag: 'Right', right: row });
    }
  });

  it('names the bad field', () => {
    expect(rows.decode(bytes('{"user_id":"x","behavior":"buy","tags":[]}'))).toEqual({
      _tag: 'Left',
      left: [{ field: 'user_id', expected: 'number', value: 'x' }],
    });
    const missing = rows.decode(bytes('{"user_id":1,"tags":[1]}'));
    expect(missing._tag === 'Left' && missing.left.map((p) => p.field)).toEqual([
      'behavior',
      'tags.0',
    ]);
  });

  it('reports text that is not JSON, or not UTF-8, as a problem of the whole record', () => {
    const notJson = rows.decode(bytes('{"user_id":'));
    expect(notJson._tag === 'Left' && notJson.left[0]).toMatchObject({
      field: '',
      expected: expect.stringMatching(/^valid UTF-8 JSON/),
    });
    const notUtf8 = rows.decode(new Uint8Array([0xff, 0xfe]));
    expect(notUtf8._tag).toBe('Left');
  });
});
