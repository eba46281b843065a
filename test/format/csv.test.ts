import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { csvFormat } from '../../src/format/csvFormat.js';
import { RowEncodeError } from '../../src/format/RowEncodeError.js';
import { bytes, text } from './support.js';

const Row = t.type({
  id: t.number,
  name: t.string,
  active: t.boolean,
  score: t.union([t.number, t.null]),
});

describe('csv format', () => {
  const rows = csvFormat().bind(Row);

  it('round-trips, quoting only fields with the delimiter, quote or a line break (RFC 4180)', () => {
    const cases: Array<[t.TypeOf<typeof Row>, string]> = [
      [{ id: 1, name: 'plain', active: true, score: 2.5 }, '1,plain,true,2.5'],
      [{ id: 2, name: 'a,b', active: false, score: null }, '2,"a,b",false,'],
      [{ id: 3, name: 'say "hi"', active: true, score: 0 }, '3,"say ""hi""",true,0'],
      [{ id: 4, name: 'two\nlines\r\n', active: true, score: -1 }, '4,"two\nlines\r\n",true,-1'],
      [{ id: 5, name: '', active: true, score: 1 }, '5,,true,1'],
    ];
    for (const [row, line] of cases) {
      expect(text(rows.encode(row))).toBe(line);
      expect(rows.decode(bytes(line))).toEqual({ _tag: 'Right', right: row });
    }
  });

  it('accepts one trailing line break', () => {
    expect(rows.decode(bytes('1,x,true,3\r\n'))).toEqual({
      _tag: 'Right',
      right: { id: 1, name: 'x', active: true, score: 3 },
    });
  });

  it('names the field that does not read as its type', () => {
    expect(rows.decode(bytes('1,x,maybe,3'))).toEqual({
      _tag: 'Left',
      left: [{ field: 'active', expected: 'boolean', value: 'maybe' }],
    });
    expect(rows.decode(bytes('one,x,true,3'))).toMatchObject({
      left: [{ field: 'id', value: 'one' }],
    });
  });

  it('reports a wrong field count and broken quoting for the whole record', () => {
    expect(rows.decode(bytes('1,x,true'))).toMatchObject({
      left: [{ field: '', expected: '4 fields (id, name, active, score)' }],
    });
    expect(rows.decode(bytes('1,"x,true,3'))).toMatchObject({
      left: [{ field: '', expected: 'a closing quote' }],
    });
    expect(rows.decode(bytes('1,"x"y,true,3'))).toMatchObject({ left: [{ field: '' }] });
  });

  it('honours field delimiter, quote character, null literal and column order', () => {
    const custom = csvFormat({
      fieldDelimiter: ';',
      quoteCharacter: "'",
      nullLiteral: 'NULL',
      columns: ['name', 'id', 'active', 'score'],
    }).bind(Row);
    const row = { id: 9, name: "it's;here", active: false, score: null };
    expect(text(custom.encode(row))).toBe("'it''s;here';9;false;NULL");
    expect(custom.decode(bytes("'it''s;here';9;false;NULL"))).toEqual({
      _tag: 'Right',
      right: row,
    });
    const tab = csvFormat({ fieldDelimiter: '\t' }).bind(Row);
    expect(text(tab.encode({ id: 1, name: 'a,b', active: true, score: 1 }))).toBe(
      '1\ta,b\ttrue\t1',
    );
  });

  it('with quoting disabled, a value holding the delimiter cannot be written', () => {
    const bare = csvFormat({ disableQuoteCharacter: true }).bind(Row);
    expect(() => bare.encode({ id: 1, name: 'a,b', active: true, score: 1 })).toThrowError(
      RowEncodeError,
    );
    expect(() => bare.encode({ id: 1, name: 'a,b', active: true, score: 1 })).toThrowError(
      /field "name"/,
    );
    expect(bare.decode(bytes('1,"q",true,1'))).toEqual({
      _tag: 'Right',
      right: { id: 1, name: '"q"', active: true, score: 1 },
    });
  });

  it('rejects bad options and row codecs without known fields', () => {
    expect(() => csvFormat({ fieldDelimiter: ';;' })).toThrowError(
      /csv\.field-delimiter: expected one character/,
    );
    expect(() => csvFormat({ quoteCharacter: ',' })).toThrowError(/csv\.quote-character/);
    expect(() => csvFormat().bind(t.string)).toThrowError(ConfigError);
    expect(() => csvFormat({ columns: ['id', 'nope'] }).bind(Row)).toThrowError(
      /csv\.columns: expected a field of the row codec/,
    );
  });

  it('reads optional fields and custom codecs from text', () => {
    const DateFromIso = new t.Type<Date, string, unknown>(
      'an ISO date',
      (u): u is Date => u instanceof Date,
      (u, c) =>
        typeof u === 'string' && !isNaN(Date.parse(u)) ? t.success(new Date(u)) : t.failure(u, c),
      (d) => d.toISOString(),
    );
    const WithDate = t.intersection([t.type({ at: DateFromIso }), t.partial({ label: t.string })]);
    const dated = csvFormat().bind(WithDate);
    const at = new Date('2024-05-06T07:08:09.000Z');
    expect(text(dated.encode({ at }))).toBe('2024-05-06T07:08:09.000Z,');
    expect(dated.decode(bytes('2024-05-06T07:08:09.000Z,'))).toEqual({
      _tag: 'Right',
      right: { at },
    });
    expect(dated.decode(bytes('2024-05-06T07:08:09.000Z,x'))).toEqual({
      _tag: 'Right',
      right: { at, label: 'x' },
    });
    expect(dated.decode(bytes('yesterday,x'))).toMatchObject({
      left: [{ field: 'at', expected: 'an ISO date' }],
    });
  });
});
