import fc from 'fast-check';
import * as t from 'io-ts';
import { Subject, from, toArray, firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { csvFormat } from '../../src/format/csvFormat.js';
import { decodeRecords } from '../../src/format/decodeRecords.js';
import { jsonFormat } from '../../src/format/jsonFormat.js';
import { rawFormat } from '../../src/format/rawFormat.js';
import type { DeadLetter } from '../../src/format/RecordDecodeError.js';
import type { RecordFormat } from '../../src/format/RecordFormat.js';
import { RowEncodeError } from '../../src/format/RowEncodeError.js';
import type { KinesisRecord } from '../../src/record.js';
import { fuzzParameters } from './fuzzParameters.js';

/** Text with what breaks CSV and JSON: delimiters, quotes, line breaks, unicode, empty strings. */
const tricky = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.string({
    unit: fc.constantFrom(',', ';', '"', "'", '\n', '\r', '\t', '|', ' ', 'a', 'é', '😀', '\\'),
    maxLength: 8,
  }),
  fc.constantFrom('', 'NULL', '\\N', 'null', 'true', '1', ' '),
);

const CsvRow = t.intersection([
  t.type({
    s: t.string,
    n: t.number,
    b: t.boolean,
    big: t.bigint,
    ns: t.union([t.string, t.null]),
    nn: t.union([t.number, t.null]),
  }),
  t.partial({ opt: t.string }),
]);
type CsvRow = t.TypeOf<typeof CsvRow>;

const number = fc.oneof(
  fc.double({ noNaN: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.integer(),
  fc.constant(Number.NaN),
);
const csvRow: fc.Arbitrary<CsvRow> = fc.record(
  {
    s: tricky,
    n: number,
    b: fc.boolean(),
    big: fc.bigInt(),
    ns: fc.option(tricky, { nil: null }),
    nn: fc.option(number, { nil: null }),
    opt: tricky,
  },
  { requiredKeys: ['s', 'n', 'b', 'big', 'ns', 'nn'] },
);
const csvOptions = fc.record(
  {
    fieldDelimiter: fc.constantFrom(',', ';', '\t', '|', ' '),
    quoteCharacter: fc.constantFrom('"', "'"),
    nullLiteral: fc.constantFrom('NULL', '\\N', 'null'),
  },
  { requiredKeys: ['fieldDelimiter'] },
);

const JsonRow = t.type({
  s: t.string,
  n: t.number,
  b: t.boolean,
  ns: t.union([t.string, t.null]),
  list: t.array(t.string),
  nested: t.type({ x: t.union([t.number, t.null]) }),
});
const jsonRow = fc.record({
  s: tricky,
  n: fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  b: fc.boolean(),
  ns: fc.option(tricky, { nil: null }),
  list: fc.array(tricky, { maxLength: 3 }),
  nested: fc.record({ x: fc.option(fc.integer(), { nil: null }) }),
});

/** Random bytes, and bytes that are almost a row of each format. */
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) => new TextEncoder().encode(s)),
  fc
    .array(
      fc.oneof(
        tricky,
        fc.constantFrom('1', 'x', 'true', '-5', '', '"', '{', '}', '[', ']', ':', 'null'),
      ),
      {
        maxLength: 8,
      },
    )
    .chain((parts) => fc.constantFrom(parts.join(','), parts.join(';'), `{${parts.join(',')}}`))
    .map((s) => new TextEncoder().encode(s)),
);

function recordOf(data: Uint8Array, i: number): KinesisRecord {
  return {
    stream: 's',
    shardId: 'shardId-0',
    sequenceNumber: String(i),
    partitionKey: 'k',
    data,
    approximateArrivalTimestamp: new Date(0),
  };
}

const formats: Array<[string, RecordFormat, t.Mixed]> = [
  ['csv', csvFormat(), CsvRow],
  ['csv (; NULL)', csvFormat({ fieldDelimiter: ';', nullLiteral: 'NULL' }), CsvRow],
  ['json', jsonFormat(), JsonRow],
  ['raw', rawFormat(), t.string],
  ['raw (one column)', rawFormat(), t.type({ line: t.number })],
  ['raw bytes', rawFormat({ as: 'bytes' }), t.type({ payload: t.string })],
];

describe('fuzz: record formats', () => {
  it('csv: random rows round-trip through encode and decode, whatever the options', () => {
    fc.assert(
      fc.property(csvOptions, csvRow, (options, row) => {
        const rows = csvFormat(options).bind(CsvRow);
        const decoded = rows.decode(rows.encode(row));
        expect(decoded).toEqual({ _tag: 'Right', right: row });
      }),
      fuzzParameters(0xc5f01, 400),
    );
  });

  it('json: random rows round-trip through encode and decode', () => {
    fc.assert(
      fc.property(jsonRow, (row) => {
        const rows = jsonFormat().bind(JsonRow);
        expect(rows.decode(rows.encode(row))).toEqual({ _tag: 'Right', right: row });
      }),
      fuzzParameters(0x150f01, 300),
    );
  });

  it('json: a value JSON cannot hold is a RowEncodeError naming the field, not a null that fails later', () => {
    fc.assert(
      fc.property(fc.constantFrom(Number.NaN, Infinity, -Infinity), (n) => {
        const rows = jsonFormat().bind(t.type({ id: t.string, n: t.number }));
        expect(() => rows.encode({ id: 'a', n })).toThrowError(RowEncodeError);
        expect(() => rows.encode({ id: 'a', n })).toThrowError(/field "n"/);
      }),
      fuzzParameters(0x150f02, 10),
    );
  });

  it('random bytes decode to a row or to problems naming a field, never a throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...formats), bytes, ([, format, codec], data) => {
        const result = format.bind(codec).decode(data);
        if (result._tag === 'Right') return;
        expect(result.left.length).toBeGreaterThan(0);
        for (const problem of result.left) {
          expect(typeof problem.field).toBe('string');
          expect(problem.expected.trim()).not.toBe('');
        }
      }),
      fuzzParameters(0xb17e5, 500),
    );
  });

  it('decodeRecords: every record is a row or a dead letter naming the record and the field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...formats),
        fc.array(bytes, { maxLength: 12 }),
        async ([, format, codec], datas) => {
          const letters: DeadLetter[] = [];
          const deadLetter = new Subject<DeadLetter>();
          deadLetter.subscribe((letter) => letters.push(letter));
          const records = datas.map(recordOf);
          const rows = await firstValueFrom(
            from(records).pipe(decodeRecords(format, codec, { deadLetter }), toArray()),
          );
          expect(rows.length + letters.length).toBe(records.length);
          for (const { record, error } of letters) {
            expect(error.name).toBe('RecordDecodeError');
            expect(error.message).toContain(`sequence number ${record.sequenceNumber}`);
            expect(error.message).not.toMatch(/\[object \w+\]/);
            expect(error.message).toMatch(
              error.field === '' ? /: record: expected / : `field "${error.field}"`,
            );
          }
        },
      ),
      fuzzParameters(0xdec0de, 150),
    );
  });

  // Shrunk counterexamples of the properties above, as plain examples.
  it('csv: a NaN number column reads back as NaN', () => {
    const rows = csvFormat().bind(t.type({ n: t.number }));
    expect(rows.decode(rows.encode({ n: Number.NaN }))).toEqual({
      _tag: 'Right',
      right: { n: Number.NaN },
    });
  });

  it('json: NaN in a number field is a RowEncodeError, not "null"', () => {
    const rows = jsonFormat().bind(t.type({ n: t.number }));
    expect(() => rows.encode({ n: Number.NaN })).toThrowError(
      'cannot encode json row: field "n": expected a finite number (JSON has no NaN or Infinity), got NaN',
    );
  });
});
