import * as t from 'io-ts';
import { suggestionFor } from '../config/didYouMean.js';

/** A Flink SQL column type, parsed: `BIGINT`, `VARCHAR(128) NOT NULL`, `TIMESTAMP(3)`, … */
export interface SqlType {
  readonly kind:
    | 'BOOLEAN'
    | 'TINYINT'
    | 'SMALLINT'
    | 'INT'
    | 'BIGINT'
    | 'FLOAT'
    | 'DOUBLE'
    | 'DECIMAL'
    | 'STRING'
    | 'BYTES'
    | 'DATE'
    | 'TIMESTAMP'
    | 'TIMESTAMP_LTZ';
  readonly nullable: boolean;
  /** VARCHAR/CHAR length limit. */
  readonly length?: number;
  /** The type as written. */
  readonly text: string;
}

const ALIASES: Readonly<Record<string, SqlType['kind']>> = {
  BOOLEAN: 'BOOLEAN',
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INT: 'INT',
  INTEGER: 'INT',
  BIGINT: 'BIGINT',
  FLOAT: 'FLOAT',
  DOUBLE: 'DOUBLE',
  'DOUBLE PRECISION': 'DOUBLE',
  DECIMAL: 'DECIMAL',
  DEC: 'DECIMAL',
  NUMERIC: 'DECIMAL',
  STRING: 'STRING',
  VARCHAR: 'STRING',
  CHAR: 'STRING',
  BYTES: 'BYTES',
  VARBINARY: 'BYTES',
  BINARY: 'BYTES',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  TIMESTAMP_LTZ: 'TIMESTAMP_LTZ',
  'TIMESTAMP WITH LOCAL TIME ZONE': 'TIMESTAMP_LTZ',
};

/** The supported type names, for error messages. */
export const SQL_TYPE_NAMES = Object.keys(ALIASES);

/**
 * Parses a Flink SQL type, or returns what was expected.
 *
 * ## Example
 * ```ts
 * import { parseSqlType } from 'rx-kinesis';
 * parseSqlType('VARCHAR(128) NOT NULL'); // { kind: 'STRING', nullable: false, length: 128, text: ... }
 * ```
 */
export function parseSqlType(text: string): SqlType | string {
  const match =
    /^\s*([A-Za-z_ ]+?)\s*(?:\(\s*(\d+)\s*(?:,\s*\d+\s*)?\))?\s*(NOT\s+NULL|NULL)?\s*$/i.exec(text);
  const name = match?.[1]?.toUpperCase().replace(/\s+/g, ' ');
  const kind = name === undefined ? undefined : ALIASES[name];
  if (match === null || kind === undefined) {
    return `a Flink SQL type (${SQL_TYPE_NAMES.join(', ')}; optionally NOT NULL)${suggestionFor(name ?? text, SQL_TYPE_NAMES)}`;
  }
  const size = match[2] === undefined ? undefined : Number(match[2]);
  return {
    kind,
    nullable: !/^NOT/i.test(match[3] ?? ''),
    ...((name === 'VARCHAR' || name === 'CHAR') && size !== undefined ? { length: size } : {}),
    text,
  };
}

/** How a format carries timestamps and bytes. */
export type ValueEncoding = 'text-sql' | 'text-iso' | 'avro';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `yyyy-MM-dd HH:mm:ss.SSS` in UTC (Flink's SQL timestamp text). */
function sqlTimestamp(date: Date): string {
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`
  );
}

function parseTimestamp(text: string): Date | undefined {
  const sql =
    /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text.trim(),
    );
  if (sql === null) return undefined;
  const iso = `${sql[1]}-${sql[2]}-${sql[3]}T${sql[4]}:${sql[5]}:${sql[6] ?? '00'}.${(sql[7] ?? '0').padEnd(3, '0').slice(0, 3)}${sql[8] ?? 'Z'}`;
  const date = new Date(iso);
  return isNaN(date.getTime()) ? undefined : date;
}

const base64 = {
  encode(bytes: Uint8Array): string {
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return btoa(text);
  },
  decode(text: string): Uint8Array | undefined {
    try {
      return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    } catch {
      return undefined;
    }
  },
};

const INT_RANGE: Partial<Record<SqlType['kind'], [number, number]>> = {
  TINYINT: [-128, 127],
  SMALLINT: [-32768, 32767],
  INT: [-(2 ** 31), 2 ** 31 - 1],
  BIGINT: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

type Value = string | number | boolean | Date | Uint8Array;

/** The io-ts codec of a non-null value of a SQL type, carried in a format's encoding. */
function valueCodec(type: SqlType, encoding: ValueEncoding): t.Type<Value, unknown, unknown> {
  const make = <A extends Value>(
    name: string,
    decode: (u: unknown) => A | undefined,
    encode: (a: A) => unknown,
    is: (u: unknown) => u is A,
  ): t.Type<Value, unknown, unknown> =>
    new t.Type<A, unknown, unknown>(
      name,
      is,
      (u, c) => {
        const value = decode(u);
        return value === undefined ? t.failure(u, c) : t.success(value);
      },
      encode,
    ) as unknown as t.Type<Value, unknown, unknown>;
  const isDate = (u: unknown): u is Date => u instanceof Date && !isNaN(u.getTime());
  switch (type.kind) {
    case 'BOOLEAN':
      return make(
        'a BOOLEAN',
        (u) => (typeof u === 'boolean' ? u : undefined),
        (a) => a,
        (u): u is boolean => typeof u === 'boolean',
      );
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT': {
      const [min, max] = INT_RANGE[type.kind] ?? [0, 0];
      const ok = (u: unknown): u is number =>
        typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max;
      return make(
        `${type.kind === 'BIGINT' ? 'a BIGINT (a safe integer)' : `an ${type.kind} (${min}…${max})`}`,
        (u) => (ok(u) ? u : undefined),
        (a) => a,
        ok,
      );
    }
    case 'FLOAT':
    case 'DOUBLE':
    case 'DECIMAL': {
      const ok = (u: unknown): u is number => typeof u === 'number' && !Number.isNaN(u);
      return make(
        `a ${type.kind} number`,
        (u) => (ok(u) ? u : undefined),
        (a) => a,
        ok,
      );
    }
    case 'STRING': {
      const limit = type.length;
      const ok = (u: unknown): u is string =>
        typeof u === 'string' && (limit === undefined || u.length <= limit);
      return make(
        limit === undefined ? 'a STRING' : `a string of at most ${limit} characters`,
        (u) => (ok(u) ? u : undefined),
        (a) => a,
        ok,
      );
    }
    case 'BYTES':
      return make(
        encoding === 'avro' ? 'BYTES' : 'BYTES (base64 text)',
        (u) =>
          u instanceof Uint8Array
            ? u
            : typeof u === 'string' && encoding !== 'avro'
              ? base64.decode(u)
              : undefined,
        (a) => (encoding === 'avro' ? a : base64.encode(a)),
        (u): u is Uint8Array => u instanceof Uint8Array,
      );
    case 'DATE':
      return make(
        encoding === 'avro' ? 'a DATE (days since the epoch)' : 'a DATE (yyyy-MM-dd)',
        (u) => {
          if (u instanceof Date) return isDate(u) ? u : undefined;
          if (encoding === 'avro')
            return typeof u === 'number' && Number.isInteger(u)
              ? new Date(u * 86_400_000)
              : undefined;
          if (typeof u !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(u)) return undefined;
          const date = new Date(`${u}T00:00:00.000Z`);
          return isDate(date) ? date : undefined;
        },
        (a) =>
          encoding === 'avro' ? Math.floor(a.getTime() / 86_400_000) : a.toISOString().slice(0, 10),
        isDate,
      );
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return make(
        encoding === 'avro'
          ? `a ${type.kind} (milliseconds since the epoch)`
          : `a ${type.kind} (yyyy-MM-dd HH:mm:ss.SSS or ISO-8601)`,
        (u) => {
          if (u instanceof Date) return isDate(u) ? u : undefined;
          if (encoding === 'avro')
            return typeof u === 'number' && Number.isFinite(u) ? new Date(u) : undefined;
          return typeof u === 'string' ? parseTimestamp(u) : undefined;
        },
        (a) =>
          encoding === 'avro'
            ? a.getTime()
            : encoding === 'text-iso'
              ? a.toISOString()
              : sqlTimestamp(a),
        isDate,
      );
  }
}

/**
 * The io-ts codec of a column of this SQL type in a format's encoding; a
 * nullable column also takes `null` (and a missing value reads as `null`).
 *
 * ## Example
 * ```ts
 * import { parseSqlType, sqlTypeCodec } from 'rx-kinesis';
 * const ts = sqlTypeCodec(parseSqlType('TIMESTAMP(3)') as never, 'text-sql');
 * ts.encode(new Date('2024-01-02T03:04:05.006Z')); // '2024-01-02 03:04:05.006'
 * ```
 */
export function sqlTypeCodec(
  type: SqlType,
  encoding: ValueEncoding,
): t.Type<Value | null, unknown, unknown> {
  const inner = valueCodec(type, encoding);
  if (!type.nullable) return inner as unknown as t.Type<Value | null, unknown, unknown>;
  return new t.Type<Value | null, unknown, unknown>(
    `${inner.name} or null`,
    (u): u is Value | null => u === null || inner.is(u),
    (u, c) => (u === null || u === undefined ? t.success(null) : inner.validate(u, c)),
    (a) => (a === null ? null : inner.encode(a)),
  );
}

/** How csv reads the text of a column of this type. */
export function csvKindOf(type: SqlType): 'number' | 'boolean' | 'text' {
  switch (type.kind) {
    case 'BOOLEAN':
      return 'boolean';
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
    case 'FLOAT':
    case 'DOUBLE':
    case 'DECIMAL':
      return 'number';
    default:
      return 'text';
  }
}

/** The Avro schema of a column of this type (Flink's table → Avro mapping). */
export function avroTypeOf(type: SqlType): unknown {
  const inner = ((): unknown => {
    switch (type.kind) {
      case 'BOOLEAN':
        return 'boolean';
      case 'TINYINT':
      case 'SMALLINT':
      case 'INT':
        return 'int';
      case 'BIGINT':
        return 'long';
      case 'FLOAT':
        return 'float';
      case 'DOUBLE':
      case 'DECIMAL':
        return 'double';
      case 'STRING':
        return 'string';
      case 'BYTES':
        return 'bytes';
      case 'DATE':
        return { type: 'int', logicalType: 'date' };
      case 'TIMESTAMP':
      case 'TIMESTAMP_LTZ':
        return { type: 'long', logicalType: 'timestamp-millis' };
    }
  })();
  return type.nullable ? ['null', inner] : inner;
}
