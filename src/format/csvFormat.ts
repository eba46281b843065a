import type * as t from 'io-ts';
import { ConfigError } from '../client/errors.js';
import { RowEncodeError } from './RowEncodeError.js';
import { type CodecColumn, columnsOfCodec } from './columnsOfCodec.js';
import type { FieldProblem, RecordFormat, RowCodec } from './RecordFormat.js';
import { rowProblems } from './rowProblems.js';

/** Options of the `csv` format, named after Flink's `csv.*` keys. */
export interface CsvOptions {
  /** `csv.field-delimiter`: one character, default `,`. */
  readonly fieldDelimiter?: string;
  /** `csv.quote-character`: one character, default `"`. */
  readonly quoteCharacter?: string;
  /** `csv.disable-quote-character`: never quote (a field holding the delimiter is then an encode error). */
  readonly disableQuoteCharacter?: boolean;
  /** `csv.null-literal`: the text of a null field; default: an empty unquoted field is null for nullable columns. */
  readonly nullLiteral?: string;
  /** Column order; default: the row codec's field order. */
  readonly columns?: readonly string[];
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

interface ParsedField {
  readonly text: string;
  readonly quoted: boolean;
}

/** Splits one CSV line (RFC 4180: quoted fields, doubled quotes; one trailing line break allowed). */
function parseLine(
  line: string,
  delimiter: string,
  quote: string | undefined,
): ParsedField[] | string {
  const text = line.endsWith('\r\n')
    ? line.slice(0, -2)
    : line.endsWith('\n')
      ? line.slice(0, -1)
      : line;
  const fields: ParsedField[] = [];
  let i = 0;
  for (;;) {
    if (quote !== undefined && text[i] === quote) {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) return 'a closing quote';
        const ch = text[i] as string;
        if (ch === quote) {
          if (text[i + 1] === quote) {
            value += quote;
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += ch;
        i += 1;
      }
      fields.push({ text: value, quoted: true });
      if (i === text.length) return fields;
      if (text[i] !== delimiter)
        return `a field delimiter after a closing quote at column ${i + 1}`;
      i += 1;
    } else {
      const end = text.indexOf(delimiter, i);
      const value = end === -1 ? text.slice(i) : text.slice(i, end);
      if (quote !== undefined && value.includes(quote))
        return `no quote inside an unquoted field ("${value}")`;
      fields.push({ text: value, quoted: false });
      if (end === -1) return fields;
      i = end + 1;
    }
  }
}

function valueOf(
  field: ParsedField,
  column: CodecColumn,
  nullLiteral: string | undefined,
): unknown {
  const isNull =
    nullLiteral !== undefined
      ? !field.quoted && field.text === nullLiteral
      : !field.quoted && field.text === '' && (column.nullable || column.optional);
  if (isNull) return column.nullable ? null : undefined;
  const text = field.text;
  switch (column.kind) {
    case 'number': {
      const n = text.trim() === '' ? NaN : Number(text);
      // not a number: the codec then names the field (but `NaN`, which encode writes, is one)
      return Number.isNaN(n) && text.trim() !== 'NaN' ? text : n;
    }
    case 'boolean':
      return /^true$/i.test(text) ? true : /^false$/i.test(text) ? false : text;
    case 'bigint':
      return /^-?\d+$/.test(text) ? BigInt(text) : text;
    default:
      return text;
  }
}

function textOf(value: unknown, nullLiteral: string | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? nullLiteral;
}

/**
 * The `csv` format: one RFC 4180 line per record, columns in the row codec's
 * field order (or `columns`). Text is read into each field by the codec's
 * type (numbers, booleans, bigints; custom codecs get the text), then
 * validated by the codec, so a bad field is an error naming it.
 * Encoding quotes a field only when it holds the delimiter, the quote or a
 * line break, and writes no line break at the end.
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { csvFormat } from 'rx-kinesis';
 * const rows = csvFormat({ fieldDelimiter: ';' }).bind(t.type({ id: t.number, name: t.string }));
 * new TextDecoder().decode(rows.encode({ id: 1, name: 'a;b' })); // '1;"a;b"'
 * ```
 */
export function csvFormat(options: CsvOptions = {}): RecordFormat {
  const delimiter = options.fieldDelimiter ?? ',';
  const quote =
    options.disableQuoteCharacter === true ? undefined : (options.quoteCharacter ?? '"');
  const nullLiteral = options.nullLiteral;
  if ([...delimiter].length !== 1 || delimiter === '\n' || delimiter === '\r')
    throw new ConfigError([
      {
        path: 'csv.field-delimiter',
        value: delimiter,
        expected: 'one character, not a line break',
      },
    ]);
  if (quote !== undefined && ([...quote].length !== 1 || quote === delimiter))
    throw new ConfigError([
      {
        path: 'csv.quote-character',
        value: quote,
        expected: 'one character other than the field delimiter',
      },
    ]);
  return {
    name: 'csv',
    bind<A, O>(rowCodec: t.Type<A, O, unknown>): RowCodec<A> {
      const known = columnsOfCodec(rowCodec);
      if (known === undefined)
        throw new ConfigError([
          {
            path: 'format',
            value: rowCodec.name,
            expected:
              'for csv, an object row codec (t.type, t.strict, t.partial or an intersection of them)',
          },
        ]);
      const byName = new Map(known.map((column) => [column.name, column]));
      const columns = (options.columns ?? known.map((c) => c.name)).map((name) => {
        const column = byName.get(name);
        if (column === undefined)
          throw new ConfigError([
            {
              path: 'csv.columns',
              value: name,
              expected: `a field of the row codec (${[...byName.keys()].join(', ')})`,
            },
          ]);
        return column;
      });
      return {
        format: 'csv',
        decode(data) {
          let line: string;
          try {
            line = decoder.decode(data);
          } catch {
            return {
              _tag: 'Left',
              left: [{ field: '', expected: 'valid UTF-8 text', value: data }],
            };
          }
          const fields = parseLine(line, delimiter, quote);
          if (typeof fields === 'string')
            return { _tag: 'Left', left: [{ field: '', expected: fields, value: line }] };
          if (fields.length !== columns.length) {
            return {
              _tag: 'Left',
              left: [
                {
                  field: '',
                  expected: `${columns.length} fields (${columns.map((c) => c.name).join(', ')})`,
                  value: line,
                },
              ],
            };
          }
          const row: Record<string, unknown> = {};
          columns.forEach((column, index) => {
            const value = valueOf(fields[index] as ParsedField, column, nullLiteral);
            if (value !== undefined) row[column.name] = value;
          });
          const result = rowCodec.decode(row);
          return result._tag === 'Right'
            ? result
            : { _tag: 'Left', left: rowProblems(result.left) };
        },
        encode(row) {
          const encoded = rowCodec.encode(row) as Record<string, unknown>;
          const parts = columns.map((column) => {
            const text = textOf(encoded[column.name], nullLiteral);
            if (text === undefined) return nullLiteral ?? '';
            const needsQuotes =
              text.includes(delimiter) ||
              text.includes('\n') ||
              text.includes('\r') ||
              (quote !== undefined && text.includes(quote)) ||
              (text === '' && (column.nullable || column.optional) && nullLiteral === undefined) ||
              (nullLiteral !== undefined && text === nullLiteral);
            if (!needsQuotes) return text;
            if (quote === undefined) {
              throw new RowEncodeError(
                'csv',
                column.name,
                'a value without delimiter or line break (csv.disable-quote-character is set)',
                text,
              );
            }
            return `${quote}${text.split(quote).join(quote + quote)}${quote}`;
          });
          return encoder.encode(parts.join(delimiter));
        },
      };
    },
  };
}

export type { FieldProblem };
