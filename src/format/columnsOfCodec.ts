import type * as t from 'io-ts';

/** How a text format (csv) reads a column's text. */
export type ColumnKind = 'string' | 'number' | 'boolean' | 'bigint' | 'text';

/** One field of a row codec, in declaration order. */
export interface CodecColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  /** `null` accepted. */
  readonly nullable: boolean;
  /** May be absent (`t.partial`). */
  readonly optional: boolean;
}

interface Tagged {
  readonly _tag?: string;
  readonly type?: unknown;
  readonly types?: readonly unknown[];
  readonly props?: Record<string, unknown>;
  readonly value?: unknown;
}

function kindOf(codec: unknown): { kind: ColumnKind; nullable: boolean } {
  const c = codec as Tagged;
  switch (c._tag) {
    case 'StringType':
      return { kind: 'string', nullable: false };
    case 'NumberType':
      return { kind: 'number', nullable: false };
    case 'BooleanType':
      return { kind: 'boolean', nullable: false };
    case 'BigIntType':
      return { kind: 'bigint', nullable: false };
    case 'LiteralType':
      return {
        kind:
          typeof c.value === 'number'
            ? 'number'
            : typeof c.value === 'boolean'
              ? 'boolean'
              : 'string',
        nullable: false,
      };
    case 'RefinementType':
    case 'ReadonlyType':
    case 'ExactType':
      return kindOf(c.type);
    case 'NullType':
    case 'UndefinedType':
      return { kind: 'text', nullable: true };
    case 'UnionType': {
      const members = (c.types ?? []).map(kindOf);
      const nullable = (c.types ?? []).some((m) => {
        const tag = (m as Tagged)._tag;
        return tag === 'NullType' || tag === 'UndefinedType';
      });
      const kinds = new Set(
        members
          .filter((_, i) => {
            const tag = ((c.types ?? [])[i] as Tagged)._tag;
            return tag !== 'NullType' && tag !== 'UndefinedType';
          })
          .map((m) => m.kind),
      );
      const [only] = kinds;
      return { kind: kinds.size === 1 && only !== undefined ? only : 'text', nullable };
    }
    default:
      // custom codecs (dates from strings, branded types) read the text as is
      return { kind: 'text', nullable: false };
  }
}

/**
 * The fields of an object row codec (`t.type`, `t.strict`, `t.partial`,
 * `t.intersection` of those, `t.readonly`, or any codec with a `columns`
 * array describing itself), in order, with how text reads into each;
 * `undefined` when the codec is not such an object codec.
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { columnsOfCodec } from 'rx-kinesis';
 * columnsOfCodec(t.type({ id: t.number, note: t.union([t.string, t.null]) }));
 * // [{ name: 'id', kind: 'number', nullable: false, optional: false },
 * //  { name: 'note', kind: 'string', nullable: true, optional: false }]
 * ```
 */
export function columnsOfCodec(codec: t.Mixed): CodecColumn[] | undefined {
  // a codec may describe its own columns (the table layer's rows do)
  const described = (codec as { columns?: readonly CodecColumn[] }).columns;
  if (Array.isArray(described)) return [...(described as readonly CodecColumn[])];
  const columns: CodecColumn[] = [];
  const walk = (node: unknown, optional: boolean): boolean => {
    const c = node as Tagged;
    switch (c._tag) {
      case 'InterfaceType':
      case 'StrictType':
      case 'PartialType':
        for (const [name, prop] of Object.entries(c.props ?? {})) {
          columns.push({ name, ...kindOf(prop), optional: optional || c._tag === 'PartialType' });
        }
        return true;
      case 'ExactType':
      case 'ReadonlyType':
      case 'RefinementType':
        return walk(c.type, optional);
      case 'IntersectionType':
        return (c.types ?? []).every((member) => walk(member, optional));
      default:
        return false;
    }
  };
  return walk(codec, false) ? columns : undefined;
}
