import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../../src/client/errors.js';
import { loadModule } from '../../src/module/loadModule.js';
import { yamlPathText } from '../../src/module/yamlLocation.js';
import { fuzzParameters } from './fuzzParameters.js';

type Json = Record<string, unknown>;

const VALID: Json = {
  version: '1.0',
  module: {
    meta: { type: 'remote' },
    spec: {
      ingresses: [
        {
          ingress: {
            meta: { type: 'statefun.kinesis.io/routable-protobuf-ingress', id: 'ns/messages' },
            spec: {
              awsRegion: { type: 'specific', id: 'us-west-1' },
              awsCredentials: { type: 'basic', accessKeyId: 'id', secretAccessKey: 'secret' },
              startupPosition: { type: 'date', date: '2020-02-01 04:15:00.00 Z' },
              streams: [
                { stream: 'stream-1', typeUrl: 'com.example/User', targets: ['ns/f1', 'ns/f2'] },
                { stream: 'stream-2', typeUrl: 'com.example/User', targets: ['ns/f1'] },
              ],
              clientConfigProperties: [{ SocketTimeout: 9999 }],
            },
          },
        },
      ],
      egresses: [
        {
          egress: {
            meta: { type: 'statefun.kinesis.io/generic-egress', id: 'ns/out' },
            spec: {
              awsRegion: {
                type: 'custom-endpoint',
                endpoint: 'https://localhost:4567',
                id: 'us-west-1',
              },
              awsCredentials: { type: 'profile', profileName: 'p', profilePath: '/tmp/p' },
              maxOutstandingRecords: 9999,
            },
          },
        },
      ],
    },
  },
};

/** Every path (keys and array indexes) in the document. */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

type Mutation =
  | { kind: 'remove'; path: string[] }
  | { kind: 'set'; path: string[]; value: unknown }
  | { kind: 'unknown'; path: string[]; key: string; value: unknown };

function mutate(m: Mutation): Json {
  const copy = structuredClone(VALID);
  const parentPath = m.kind === 'unknown' ? m.path : m.path.slice(0, -1);
  let parent = copy as Record<string, unknown>;
  for (const k of parentPath) parent = parent[k] as Record<string, unknown>;
  const last = m.path[m.path.length - 1] as string;
  if (m.kind === 'remove') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (m.kind === 'set') parent[last] = m.value;
  else if (!Array.isArray(parent)) parent[m.key] = m.value;
  return copy;
}

const PATHS = pathsOf(VALID);
const OBJECT_PATHS = [
  [],
  ...PATHS.filter((p) => {
    let v: unknown = VALID;
    for (const k of p) v = (v as Json)[k];
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  }),
];
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...PATHS).map((path) => ({ kind: 'remove' as const, path })),
  fc.record({
    kind: fc.constant('set' as const),
    path: fc.constantFrom(...PATHS),
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom('', ' ', 'x', -1, 0, 1.5, true, null, [], {}),
    ),
  }),
  fc.record({
    kind: fc.constant('unknown' as const),
    path: fc.constantFrom(...OBJECT_PATHS),
    key: fc.string({ minLength: 1, maxLength: 10 }),
    value: fc.jsonValue({ maxDepth: 1 }),
  }),
);

/** The ConfigError of loading `text` (checked to read well), or undefined if it loads. */
function outcome(text: string): ConfigError | undefined {
  try {
    loadModule(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof ConfigError))
      throw new Error(`not a ConfigError: ${String(error)}`, { cause: error });
    const lineCount = text.split('\n').length;
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.message).not.toMatch(/\[object \w+\]/);
    for (const p of error.problems) {
      expect(p.path.trim()).not.toBe('');
      expect(p.expected.trim()).not.toBe('');
      expect(p.path).not.toMatch(/undefined|\(line \?\)/);
      const line = /\(line (\d+)\)$/.exec(p.path)?.[1];
      if (line !== undefined) {
        expect(Number(line)).toBeGreaterThanOrEqual(1);
        expect(Number(line)).toBeLessThanOrEqual(lineCount);
      }
    }
    return error;
  }
}

const within = (inner: string, outer: string): boolean =>
  outer === '' ||
  inner === outer ||
  (inner.startsWith(outer) && /^[.[ ]/.test(inner.slice(outer.length)));

/** YAML-ish text: the characters that make YAML structure, plus words and numbers. */
const yamlText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ': ',
        '- ',
        '\n',
        '  ',
        '{',
        '}',
        '[',
        ']',
        ',',
        '&a ',
        '*a',
        '!!str ',
        '!!binary ',
        '#',
        '"',
        "'",
        '|',
        '>',
        '? ',
        '---\n',
        '...\n',
        '<<: ',
        '%YAML 1.2\n',
      ),
      fc.constantFrom(
        'version',
        'module',
        'meta',
        'spec',
        'ingresses',
        'egresses',
        '"1.0"',
        'type',
        'id',
        '1',
        'true',
        'null',
      ),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

describe('fuzz: module loader', () => {
  it('the valid module loads', () => {
    expect(outcome(stringify(VALID))).toBeUndefined();
  });

  it('random YAML-ish text: a ConfigError with a path (and line), never another throw', () => {
    fc.assert(
      fc.property(yamlText, (text) => {
        outcome(text);
      }),
      fuzzParameters(0x9a3101, 400),
    );
  });

  it('a mutated module: a ConfigError naming a path on the way to what changed, with its line', () => {
    fc.assert(
      fc.property(mutation, fc.boolean(), (m, flow) => {
        const text = flow ? JSON.stringify(mutate(m), null, 1) : stringify(mutate(m));
        const error = outcome(text);
        if (error === undefined) return;
        const mutated = m.kind === 'unknown' ? [...m.path, m.key] : m.path;
        const target = yamlPathText(mutated);
        const parent = yamlPathText(mutated.slice(0, -1));
        const paths = error.problems.map((p) => p.path.replace(/ \(line \d+\)$/, ''));
        const related = paths.some(
          (p) => p === 'module file' || within(p, target) || within(target, p) || within(p, parent),
        );
        if (!related) throw new Error(`no problem near ${target}: ${error.message}`);
      }),
      fuzzParameters(0x9a3102, 150),
    );
  });

  // Shrunk counterexamples, as plain examples.
  it('an alias to an anchor that is not set is a ConfigError, not a ReferenceError', () => {
    expect(() => loadModule('*a')).toThrowError(ConfigError);
    expect(() => loadModule('version: *v')).toThrowError(
      /^module file: expected YAML whose aliases resolve \(Unresolved alias/,
    );
  });

  it('an alias bomb is a ConfigError, not a ReferenceError', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    expect(() => loadModule(bomb)).toThrowError(/Excessive alias count/);
    expect(() => loadModule(bomb)).toThrowError(ConfigError);
  });

  it('a collection as a key is a ConfigError naming it, without a process warning', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      expect(() => loadModule('? [a, b]\n: 1')).toThrowError(
        /\["\[ a, b \]"\] \(line 1\): expected no such key/,
      );
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
