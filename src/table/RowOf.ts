import type { TableRow } from './defineTable.js';

/** A column as `defineTable` reads it, at the type level. */
interface ColumnShape {
  readonly name: string;
  readonly type: string;
  readonly metadata?: string;
}

/** The JavaScript value of a Flink SQL type written as a literal (`'VARCHAR(128) NOT NULL'`). */
export type ValueOfSqlType<Type extends string> = string extends Type
  ? TableRow[string]
  : Uppercase<Type> extends `${string}NOT NULL${string}`
    ? BaseValue<Uppercase<Type>>
    : BaseValue<Uppercase<Type>> | null;

type BaseValue<U extends string> = U extends
  `${' ' | ''}TIMESTAMP${string}` | `${' ' | ''}DATE${string}`
  ? Date
  : U extends `${' ' | ''}BOOLEAN${string}`
    ? boolean
    : U extends `${' ' | ''}${'VARBINARY' | 'BINARY' | 'BYTES'}${string}`
      ? Uint8Array
      : U extends `${' ' | ''}${'VARCHAR' | 'CHAR' | 'STRING'}${string}`
        ? string
        : U extends `${' ' | ''}${'TINYINT' | 'SMALLINT' | 'INT' | 'BIGINT' | 'FLOAT' | 'DOUBLE' | 'DEC' | 'NUMERIC'}${string}`
          ? number
          : TableRow[string];

type Columns<D> = D extends { readonly columns: infer C extends readonly ColumnShape[] }
  ? C
  : never;

/**
 * The row type of a table definition written as a literal: one field per
 * column, typed from its SQL type (`BIGINT` → `number | null`, `... NOT NULL`
 * → no `null`, `TIMESTAMP(3)` → `Date`, …). A definition whose column names
 * are not literals (built at run time) gives the loose `TableRow`.
 */
export type RowOf<D> = [Columns<D>] extends [never]
  ? TableRow
  : string extends Columns<D>[number]['name']
    ? TableRow
    : { -readonly [C in Columns<D>[number] as C['name']]: ValueOfSqlType<C['type']> };

/** What a table's sink takes: the physical columns only (metadata columns are read-only). */
export type WriteRowOf<D> = [Columns<D>] extends [never]
  ? TableRow
  : string extends Columns<D>[number]['name']
    ? TableRow
    : {
        -readonly [
          C in Columns<D>[number] as C extends { readonly metadata: string } ? never : C['name']
        ]: ValueOfSqlType<C['type']>;
      };
