import { type Document, parseAllDocuments } from 'yaml';
import { ConfigError } from '../client/errors.js';
import { suggestionFor } from '../config/didYouMean.js';
import { LineCounter, yamlLineOf, yamlPathText } from './yamlLocation.js';

/** StateFun 3's document kinds for Kinesis. */
export const STATEFUN3_INGRESS = 'io.statefun.kinesis.v1/ingress';
export const STATEFUN3_EGRESS = 'io.statefun.kinesis.v1/egress';

/** A module file read into the 1.0 shape, with a way back to where each path was written. */
export interface ModuleText {
  /** The module as a 1.0 / 2.0 document (`{ version, module: { meta, spec } }`). */
  readonly raw: unknown;
  /** `path (line n)` in the file for keys of the 1.0 shape. */
  locate(keys: readonly string[]): string;
  /** Documents of other kinds (functions, endpoints) that were skipped. */
  readonly warnings: readonly string[];
}

type Plain = Record<string, unknown>;
const isPlain = (u: unknown): u is Plain =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * Parses a module file: the one-document format of StateFun 1.0 / 2.0
 * (`version`, `module.spec.ingresses`), or StateFun 3's stream of documents
 * (`kind: io.statefun.kinesis.v1/ingress` / `…/egress`, each with a `spec`
 * holding its `id`), which is read into the same shape: each stream's
 * `valueType` is its `typeUrl`. Documents of other kinds (functions,
 * endpoints) are skipped with a warning that names them.
 */
export function readModuleDocuments(text: string): ModuleText {
  const lines = new LineCounter();
  // logLevel 'error': yaml's warnings (e.g. a collection as a key) go to process warnings otherwise
  const documents = parseAllDocuments(text, {
    lineCounter: lines,
    prettyErrors: true,
    logLevel: 'error',
  });
  const all: Document[] = Array.isArray(documents) ? documents : [];
  const errors = all.flatMap((d) => d.errors);
  if (!Array.isArray(documents) || errors.length > 0) {
    throw new ConfigError(
      (errors.length > 0 ? errors : [{ linePos: undefined, message: 'empty', code: '' }]).map(
        (error) => ({
          path: `module (line ${error.linePos?.[0]?.line ?? '?'})`,
          value: text.length > 40 ? `${text.slice(0, 37)}...` : text,
          expected: `valid YAML or JSON (${error.message.split('\n')[0] ?? error.code})`,
        }),
      ),
    );
  }
  let values: unknown[];
  try {
    values = all.map((d) => d.toJS() as unknown);
  } catch (error) {
    // an alias to an anchor not set before it, or an alias bomb: yaml throws a ReferenceError
    throw new ConfigError([
      {
        path: 'module file',
        value: text.length > 40 ? `${text.slice(0, 37)}...` : text,
        expected: `YAML whose aliases resolve (${error instanceof Error ? error.message : String(error)})`,
      },
    ]);
  }
  const first = values[0];
  if (!isPlain(first) || !('kind' in first)) {
    if (all.length > 1)
      throw new ConfigError([
        {
          path: `module (line ${yamlLineOf(all[1] as Document, lines, []) ?? '?'})`,
          value: `${all.length} documents`,
          expected: 'one document (StateFun 1.0 / 2.0), or documents with a kind (StateFun 3)',
        },
      ]);
    // no document at all (only comments): nothing to point into
    const document = all[0];
    return {
      raw: first,
      locate: (keys) => {
        const line = document === undefined ? undefined : yamlLineOf(document, lines, keys);
        return `${yamlPathText(keys) || 'module file'}${line === undefined ? '' : ` (line ${line})`}`;
      },
      warnings: [],
    };
  }
  return fromStateFun3(all, values, lines);
}

function fromStateFun3(all: Document[], values: unknown[], lines: LineCounter): ModuleText {
  const ingresses: unknown[] = [];
  const egresses: unknown[] = [];
  // index in the 1.0 shape's ingresses / egresses → the document it came from
  const ingressDocs: number[] = [];
  const egressDocs: number[] = [];
  const warnings: string[] = [];
  const problems: Array<{ path: string; value: unknown; expected: string }> = [];
  const where = (doc: number, keys: readonly string[]): string => {
    const line = yamlLineOf(all[doc] as Document, lines, keys);
    return `document ${doc + 1}: ${yamlPathText(keys) || 'document'}${line === undefined ? '' : ` (line ${line})`}`;
  };
  values.forEach((value, doc) => {
    if (value === null || value === undefined) return; // an empty document (a trailing ---)
    const kind = isPlain(value) ? value['kind'] : undefined;
    if (typeof kind !== 'string') {
      problems.push({ path: where(doc, ['kind']), value: kind, expected: 'a document kind' });
      return;
    }
    const spec = isPlain(value) ? value['spec'] : undefined;
    const meta = { type: kind, id: isPlain(spec) ? spec['id'] : undefined };
    const rest = isPlain(spec)
      ? Object.fromEntries(Object.entries(spec).filter(([k]) => k !== 'id'))
      : spec;
    if (kind === STATEFUN3_INGRESS) {
      const streams = isPlain(rest) && Array.isArray(rest['streams']) ? rest['streams'] : undefined;
      const converted = isPlain(rest)
        ? {
            ...rest,
            ...(streams !== undefined
              ? {
                  streams: streams.map((s: unknown) =>
                    isPlain(s)
                      ? Object.fromEntries(
                          Object.entries(s).map(([k, v]) => [k === 'valueType' ? 'typeUrl' : k, v]),
                        )
                      : s,
                  ),
                }
              : {}),
          }
        : rest;
      ingresses.push({ ingress: { meta, spec: converted } });
      ingressDocs.push(doc);
    } else if (kind === STATEFUN3_EGRESS) {
      egresses.push({ egress: { meta, spec: rest } });
      egressDocs.push(doc);
    } else if (kind.startsWith('io.statefun.kinesis')) {
      problems.push({
        path: where(doc, ['kind']),
        value: kind,
        expected: `${STATEFUN3_INGRESS} or ${STATEFUN3_EGRESS}${suggestionFor(kind, [STATEFUN3_INGRESS, STATEFUN3_EGRESS])}`,
      });
    } else {
      warnings.push(
        `${where(doc, ['kind'])}: kind ${kind} is not a Kinesis ingress or egress; skipped`,
      );
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    raw: {
      version: '2.0',
      module: { meta: { type: 'remote' }, spec: { ingresses, egresses } },
    },
    locate: (keys) => {
      // module.spec.<ingresses|egresses>.<i>.<ingress|egress>.<meta|spec>.…
      const [, , list, index, , part, ...rest] = keys;
      const docs =
        list === 'ingresses' ? ingressDocs : list === 'egresses' ? egressDocs : undefined;
      const doc = docs?.[Number(index)];
      if (doc === undefined) return yamlPathText(keys) || 'module file';
      if (part === 'meta') return where(doc, rest[0] === 'type' ? ['kind'] : ['spec', 'id']);
      const inSpec = rest.map((key, i) =>
        key === 'typeUrl' && rest[i - 2] === 'streams' ? 'valueType' : key,
      );
      return where(doc, part === undefined ? [] : ['spec', ...inSpec]);
    },
    warnings,
  };
}
