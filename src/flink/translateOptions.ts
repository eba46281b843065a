import { isLeft } from 'fp-ts/lib/Either.js';
import { ConfigError } from '../client/errors.js';
import { configPath, describeErrorKeys } from '../config/decodeConfig.js';
import { suggestionFor } from '../config/didYouMean.js';
import type {
  FlinkOptionWarning,
  FlinkPropertiesSettings,
  OptionFamily,
  OptionRow,
  RuleContext,
} from './OptionRow.js';

type Problem = { path: string; value: unknown; expected: string };
type Draft = Record<string, unknown>;

const own = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

function setIn(draft: Draft, path: readonly string[], value: unknown): void {
  let node = draft;
  path.forEach((segment, i) => {
    if (i === path.length - 1) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (typeof next !== 'object' || next === null) node[segment] = {};
    node = node[segment] as Draft;
  });
}

function getIn(draft: Draft, path: readonly string[]): unknown {
  let node: unknown = draft;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Draft)[segment];
  }
  return node;
}

function unsetIn(draft: Draft, path: readonly string[]): void {
  const parent = getIn(draft, path.slice(0, -1));
  if (typeof parent === 'object' && parent !== null) delete (parent as Draft)[path.at(-1) ?? ''];
}

/** The row of `key`: its own, or the prefix row it falls under. */
export function rowOf(rows: readonly OptionRow[], key: string): OptionRow | undefined {
  return (
    rows.find((row) => row.prefix !== true && row.key === key) ??
    rows.find((row) => row.prefix === true && key.startsWith(`${row.key}.`))
  );
}

/**
 * Translates a property map by a key family's table: each row reads its key
 * (or Flink's default) with its codec and writes the value at its target
 * path; the family's rules handle what spans keys; then the config's own
 * io-ts codec validates the result, and a problem it finds is reported
 * against the key that wrote that path. One `ConfigError` lists every
 * problem (unknown keys with a did-you-mean, wrong types, out of range).
 *
 * ## Example
 * ```ts
 * import { KPL_PRODUCER_FAMILY, translateOptions } from 'rx-kinesis';
 * const { config, warnings } = translateOptions(KPL_PRODUCER_FAMILY, {
 *   'aws.region': 'us-east-1', DefaultStream: 'out', ThreadPoolSize: '15',
 * });
 * config.batch?.maxSize; // 500 (CollectionMaxCount's default)
 * warnings[0]?.key; // 'ThreadPoolSize'
 * ```
 */
export function translateOptions<C>(
  family: OptionFamily<C>,
  props: Readonly<Record<string, string>>,
  settings: FlinkPropertiesSettings = {},
): { config: C; warnings: FlinkOptionWarning[] } {
  const problems: Problem[] = [];
  const warnings: FlinkOptionWarning[] = [];
  const warn = (key: string, message: string): void => {
    if (warnings.some((w) => w.key === key)) return; // one warning per key
    const warning = { key, message };
    warnings.push(warning);
    settings.onWarning?.(warning);
  };
  for (const [key, value] of Object.entries(props as Record<string, unknown>)) {
    if (typeof value !== 'string')
      problems.push({ path: key, value, expected: 'a string (property values are text)' });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  // The text each key reads, with other names resolved; `writer` is the key the user wrote.
  const texts = new Map<string, { text: string; writer: string }>();
  const known = family.rows.map((row) => (row.prefix === true ? `${row.key}.` : row.key));
  for (const [key, text] of Object.entries(props)) {
    const row = rowOf(family.rows, key);
    if (row === undefined) {
      problems.push({
        path: key,
        value: text,
        expected: `${family.name}${suggestionFor(key, known)}`,
      });
    } else if (row.aliasOf !== undefined) {
      if (own(props, row.aliasOf)) {
        warn(key, `${key} is ignored: ${row.aliasOf} is also set and wins`);
      } else {
        texts.set(row.aliasOf, { text, writer: key });
        warn(
          key,
          `${key} is read as ${row.aliasOf}${row.note === undefined ? '' : ` (${row.note})`}`,
        );
      }
    } else if (!texts.has(key)) {
      texts.set(key, { text, writer: key });
    }
  }

  const draft: Draft = {};
  const writers = new Map<string, { key: string; text: unknown; given: boolean }>();
  const values = new Map<string, unknown>();
  const pathOf = (target: string, name?: string): string[] =>
    target.split('.').map((segment) => (segment === '*' ? (name ?? '*') : segment));
  const set = (
    path: readonly string[],
    value: unknown,
    key: string,
    text: unknown,
    given = true,
  ): void => {
    const id = JSON.stringify(path);
    const before = writers.get(id);
    if (before?.given === true && given && before.key !== key) {
      problems.push({
        path: key,
        value: text,
        expected: `no ${key}: ${before.key} is also set and means the same`,
      });
      return;
    }
    // a default never overwrites what another key wrote
    if (before !== undefined && !given) return;
    setIn(draft, path, value);
    writers.set(id, { key, text, given });
  };
  const fail = (key: string, value: unknown, expected: string): void => {
    const writer = texts.get(key)?.writer ?? key;
    problems.push(
      writer === key
        ? { path: key, value, expected }
        : { path: writer, value, expected: `${expected} (read as ${key})` },
    );
  };
  const read = (row: OptionRow, key: string, text: string, given: boolean, name?: string): void => {
    const decoded = row.codec.decode(text);
    if (isLeft(decoded)) {
      fail(key, text, decoded.left[0]?.message ?? row.codec.name);
      return;
    }
    const value = row.map === undefined ? decoded.right : row.map(decoded.right as never);
    values.set(key, value);
    const writer = texts.get(key)?.writer ?? key;
    if (given && row.ignored !== undefined)
      warn(writer, `${key} is accepted but has no effect here: ${row.ignored}`);
    if (row.target === undefined || (!given && row.writeDefault === false)) return;
    for (const target of typeof row.target === 'string' ? [row.target] : row.target)
      set(pathOf(target, name), value, writer, text, given);
  };
  for (const row of family.rows) {
    if (row.aliasOf !== undefined) continue;
    if (row.prefix === true) {
      for (const [key, { text }] of texts) {
        // a key with a row of its own is not one of the prefix's
        if (key.startsWith(`${row.key}.`) && rowOf(family.rows, key) === row)
          read(row, key, text, true, key.slice(row.key.length + 1));
      }
      continue;
    }
    const given = texts.get(row.key);
    if (given === undefined && row.required === true) {
      fail(
        row.key,
        undefined,
        `${row.codec.name} (required${row.note === undefined ? '' : `: ${row.note}`})`,
      );
      continue;
    }
    const text = given?.text ?? row.default;
    if (text !== undefined) read(row, row.key, text, given !== undefined);
  }

  const context: RuleContext = {
    raw: (key) => texts.get(key)?.text,
    given: (key) => texts.has(key),
    keysStartingWith: (prefix) => [...texts.keys()].filter((key) => key.startsWith(prefix)),
    value: <A>(key: string) => values.get(key) as A | undefined,
    get: (path) => getIn(draft, pathOf(path)),
    set: (path, value, key, text) => set(pathOf(path), value, key, text ?? texts.get(key)?.text),
    unset: (path) => unsetIn(draft, pathOf(path)),
    fail,
    warn,
  };
  for (const rule of family.rules ?? []) rule(context);
  if (problems.length > 0)
    throw new ConfigError(
      problems.filter((p, i) => problems.findIndex((q) => q.path === p.path) === i),
    );

  const result = family.codec.decode(draft);
  if (isLeft(result)) {
    throw new ConfigError(
      describeErrorKeys(result.left)
        // a union's "expected boolean" beside its object member's own, deeper problem
        .filter(({ keys }, _, all) =>
          all.every(
            (other) => other.keys.length <= keys.length || keys.some((k, i) => other.keys[i] !== k),
          ),
        )
        .map(({ keys, value, expected }) => {
          for (let n = keys.length; n > 0; n--) {
            const writer = writers.get(JSON.stringify(keys.slice(0, n)));
            if (writer !== undefined)
              return {
                path: writer.key,
                value: writer.text,
                expected: `${expected} (as ${configPath(family.root, keys)})`,
              };
          }
          return { path: configPath(family.root, keys), value, expected };
        })
        // one key written to two paths (a table's source and sink) is one problem
        .filter((p, i, all) => all.findIndex((q) => q.path === p.path) === i),
    );
  }
  return { config: result.right, warnings };
}
