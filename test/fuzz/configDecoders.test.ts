import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { CredentialsConfig } from '../../src/config/CredentialsConfig.js';
import { configPath, decodeConfig } from '../../src/config/decodeConfig.js';
import { resolveSinkConfig } from '../../src/sink/SinkConfig.js';
import { efoStrategy } from '../../src/source/efo/efoStrategy.js';
import { resolveSourceConfig } from '../../src/source/SourceConfig.js';
import { fuzzParameters } from './fuzzParameters.js';

type Json = Record<string, unknown>;

/** Whatever a caller (or a JSON/YAML file) may hand in, including the odd JavaScript values. */
const anyValue = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

const credentialKinds: Json[] = [
  { type: 'AUTO' },
  { type: 'BASIC', accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' },
  { type: 'ENV_VAR' },
  { type: 'PROFILE', name: 'dev', path: '/tmp/credentials' },
  {
    type: 'ASSUME_ROLE',
    roleArn: 'arn:aws:iam::123456789012:role/r',
    sessionName: 's',
    externalId: 'x',
    base: { type: 'PROFILE', name: 'dev' },
    stsEndpoint: 'http://localhost:1',
    stsRegion: 'us-east-1',
  },
  { type: 'WEB_IDENTITY_TOKEN', tokenFile: '/tmp/token', roleArn: 'arn:aws:iam::1:role/r' },
  {
    type: 'COGNITO',
    identityPoolId: 'us-east-1:1699ebc0-7900-4099-b910-2df94f52a030',
    logins: { 'accounts.google.com': 'token' },
    customRoleArn: 'arn:aws:iam::1:role/r',
  },
];

const validSource = (credentials: Json): Json => ({
  stream: 'orders',
  region: 'us-east-1',
  endpoint: 'http://localhost:4567',
  credentials,
  httpProtocol: 'http1',
  initialPosition: { type: 'AT_TIMESTAMP', timestamp: 1_700_000_000 },
  discoveryIntervalMs: 1000,
  listShardsPageSize: 100,
  polling: { maxRecords: 100, intervalMs: 200, adaptive: true },
  backoff: {
    listShards: { base: 1, max: 2, expConst: 1.5, maxRetries: 3 },
    getRecords: { base: 10 },
  },
  assignment: { index: 0, count: 2 },
  recordPublisher: 'EFO',
  efo: {
    consumerName: 'billing',
    registration: 'LAZY',
    registerTimeoutMs: 1000,
    closedShardCheckMs: 500,
    consumerArns: {
      orders: 'arn:aws:kinesis:us-east-1:123456789012:stream/orders/consumer/billing:1',
    },
    backoff: { subscribeToShard: { base: 1, maxRetries: 2 } },
  },
});

const validSink = (credentials: Json): Json => ({
  stream: 'out',
  region: 'us-east-1',
  credentials,
  partitionerFieldDelimiter: '|',
  batch: { maxSize: 100 },
  flushBuffer: { size: 1000, timeoutMs: 10 },
  requests: { maxInflight: 1, maxBuffered: 10 },
  failOnError: true,
  ordering: 'per-key',
  aggregation: { maxCount: 10, maxSize: 2048, timeoutMs: 5 },
  retry: { base: 1, max: 2, expConst: 2, maxRetries: 1 },
  invalidRecords: 'fail',
});

/** Every key path in a plain config tree. */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

type Mutation =
  | { kind: 'remove'; path: string[] }
  | { kind: 'set'; path: string[]; value: unknown }
  | { kind: 'unknown'; path: string[]; key: string; value: unknown };

function mutate(config: Json, m: Mutation): Json {
  const copy = clone(config);
  const parentPath = m.kind === 'unknown' ? m.path : m.path.slice(0, -1);
  let parent: Json = copy;
  for (const k of parentPath) parent = parent[k] as Json;
  if (m.kind === 'remove') delete parent[m.path[m.path.length - 1] as string];
  else if (m.kind === 'set') parent[m.path[m.path.length - 1] as string] = m.value;
  else parent[m.key] = m.value;
  return copy;
}

function mutationOf(config: Json): fc.Arbitrary<Mutation> {
  const paths = pathsOf(config);
  const objectPaths = [
    [],
    ...paths.filter((p) => {
      let v: unknown = config;
      for (const k of p) v = (v as Json)[k];
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    }),
  ];
  const path = fc.constantFrom(...paths);
  return fc.oneof(
    path.map((p) => ({ kind: 'remove' as const, path: p })),
    fc.record({
      kind: fc.constant('set' as const),
      path,
      value: fc.oneof(
        anyValue,
        fc.constantFrom(-1, 0, 0.5, 1e300, Number.NaN, Infinity, '', ' ', 'x', true, null, [], {}),
      ),
    }),
    fc.record({
      kind: fc.constant('unknown' as const),
      path: fc.constantFrom(...objectPaths),
      key: fc.string({ minLength: 1, maxLength: 12 }),
      value: anyValue,
    }),
  );
}

/** The problems of a `ConfigError`, after checking the error reads well. */
function expectClearConfigError(error: unknown, root: string): ConfigError {
  if (!(error instanceof ConfigError)) {
    throw new Error(`expected a ConfigError, got ${String(error)}`, { cause: error });
  }
  expect(error.problems.length).toBeGreaterThan(0);
  expect(error.message).not.toMatch(/\[object \w+\]/);
  expect(error.message).not.toMatch(/expected (undefined|null|)(,|$)/m);
  for (const p of error.problems) {
    expect(p.path === root || /^[.[]/.test(p.path.slice(root.length))).toBe(true);
    expect(p.path.startsWith(root)).toBe(true);
    // outside the quoted ["…"] segments, no empty segment
    expect(p.path.replace(/\["(?:[^"\\]|\\.)*"\]/g, '[]')).not.toMatch(/\.\.|\.$|\.\[/);
    expect(p.expected.trim()).not.toBe('');
    expect(error.message).toContain(`${p.path}: expected ${p.expected}, got `);
  }
  return error;
}

/** The config resolves, or fails with one clear `ConfigError`; nothing else. */
function outcome(run: () => unknown, root: string): ConfigError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return expectClearConfigError(error, root);
  }
}

function resolveSource(input: unknown): void {
  const resolved = resolveSourceConfig(input);
  if (resolved.recordPublisher === 'EFO') efoStrategy(resolved.efo);
}

/** `inner` is `outer` or a path inside it. */
const within = (inner: string, outer: string): boolean =>
  inner === outer || (inner.startsWith(outer) && /^[.[]/.test(inner.slice(outer.length)));

/** One path is inside the other, or they are siblings (checks across fields of one object). */
function related(problemPath: string, root: string, mutated: string[]): boolean {
  const target = configPath(root, mutated);
  const parent = configPath(root, mutated.slice(0, -1));
  return within(problemPath, target) || within(target, problemPath) || within(problemPath, parent);
}

describe('fuzz: config decoders', () => {
  it('the valid configs decode (every credential kind)', () => {
    for (const credentials of credentialKinds) {
      expect(() => resolveSource(validSource(credentials))).not.toThrow();
      expect(() => resolveSinkConfig(validSink(credentials) as never)).not.toThrow();
      expect(() => decodeConfig(CredentialsConfig, credentials, 'credentials')).not.toThrow();
    }
  });

  it('anything as a whole config: a clear ConfigError, never another throw', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        outcome(() => resolveSource(value), 'source');
        outcome(() => resolveSinkConfig(value as never), 'sink');
        outcome(() => decodeConfig(CredentialsConfig, value, 'credentials'), 'credentials');
      }),
      fuzzParameters(0xc0f1901, 300),
    );
  });

  it('anything in any slot of a source config: a clear ConfigError naming that slot', () => {
    const arb = fc
      .constantFrom(...credentialKinds)
      .map(validSource)
      .chain((config) => fc.tuple(fc.constant(config), mutationOf(config)));
    fc.assert(
      fc.property(arb, ([config, m]) => {
        const error = outcome(() => resolveSource(mutate(config, m)), 'source');
        if (error === undefined) return;
        const mutated = m.kind === 'unknown' ? [...m.path, m.key] : m.path;
        expect(error.problems.some((p) => related(p.path, 'source', mutated))).toBe(true);
      }),
      fuzzParameters(0xc0f1902, 400),
    );
  });

  it('anything in any slot of a sink config: a clear ConfigError naming that slot', () => {
    const arb = fc
      .constantFrom(...credentialKinds)
      .map(validSink)
      .chain((config) => fc.tuple(fc.constant(config), mutationOf(config)));
    fc.assert(
      fc.property(arb, ([config, m]) => {
        const error = outcome(() => resolveSinkConfig(mutate(config, m) as never), 'sink');
        if (error === undefined) return;
        const mutated = m.kind === 'unknown' ? [...m.path, m.key] : m.path;
        expect(error.problems.some((p) => related(p.path, 'sink', mutated))).toBe(true);
      }),
      fuzzParameters(0xc0f1903, 400),
    );
  });

  it('a near-miss key gets a did-you-mean for the key it misses', () => {
    const config = validSink({ type: 'AUTO' });
    const typo = fc
      .constantFrom(...pathsOf(config).filter((p) => (p[p.length - 1] as string).length >= 6))
      .chain((path) =>
        fc.tuple(fc.constant(path), fc.nat(), fc.constantFrom('drop', 'double', 'swap')),
      );
    fc.assert(
      fc.property(typo, ([path, at, edit]) => {
        const name = path[path.length - 1] as string;
        const i = at % (name.length - 1);
        const wrong =
          edit === 'drop'
            ? name.slice(0, i) + name.slice(i + 1)
            : edit === 'double'
              ? name.slice(0, i) + (name[i] as string) + name.slice(i)
              : name.slice(0, i) +
                (name[i + 1] as string) +
                (name[i] as string) +
                name.slice(i + 2);
        if (wrong === name) return;
        const copy = clone(config);
        let parent: Json = copy;
        for (const k of path.slice(0, -1)) parent = parent[k] as Json;
        parent[wrong] = parent[name];
        delete parent[name];
        const error = outcome(() => resolveSinkConfig(copy as never), 'sink');
        const problem = error?.problems.find(
          (p) => p.path === ['sink', ...path.slice(0, -1), wrong].join('.'),
        );
        expect(problem?.expected).toContain(`did you mean "${name}"`);
      }),
      fuzzParameters(0xc0f1904, 200),
    );
  });

  // Shrunk counterexamples of the properties above, as plain examples.
  it('names a value holding a bigint instead of printing [object Object]', () => {
    expect(() =>
      resolveSinkConfig({ stream: 'out', aggregation: { ' ': [0n] } } as never),
    ).toThrowError('sink.aggregation: expected boolean, got {" ":["0n"]}');
  });

  it('says NaN, not null, for a NaN', () => {
    expect(() =>
      resolveSourceConfig({ stream: 's', discoveryIntervalMs: Number.NaN }),
    ).toThrowError(
      'source.discoveryIntervalMs: expected a whole number of milliseconds ≥ 1, got NaN',
    );
  });

  it('writes an empty, dotted or spaced key in brackets, not as "source." or "source.."', () => {
    expect(() => resolveSourceConfig({ stream: 's', '': 1 })).toThrowError(
      /^source\[""\]: expected no such key/,
    );
    expect(() => resolveSourceConfig({ stream: 's', '.': 1 })).toThrowError(
      /^source\["\."\]: expected no such key/,
    );
    expect(() => resolveSourceConfig({ stream: 's', polling: { ' ': new Set() } })).toThrowError(
      /^source\.polling\[" "\]: expected no such key.*, got Set\(0\)$/,
    );
  });
});
