import { lastValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { loadModule } from '../../src/module/loadModule.js';
import { FakeKinesis } from '../../src/testing/FakeKinesis.js';

/** A StateFun 3 module.yaml: a stream of documents, Kinesis ones among others. */
const MODULE_V3 = `kind: io.statefun.endpoints.v2/http
spec:
  functions: com.example/*
  urlPathTemplate: https://functions.example.com/{function.name}
---
kind: io.statefun.kinesis.v1/ingress
spec:
  id: com.example/users
  awsRegion:
    type: specific
    id: us-west-1
  startupPosition:
    type: earliest
  streams:
    - stream: user-stream
      valueType: com.example/User
      targets:
        - com.example.fns/greeter
    - stream: audit-stream
      valueType: com.example/Audit
      targets:
        - com.example.fns/auditor
  clientConfigProperties:
    - SocketTimeout: 9999
---
kind: io.statefun.kinesis.v1/egress
spec:
  id: com.example/out
  awsRegion:
    type: custom-endpoint
    endpoint: https://localhost:4567
    id: us-west-1
  awsCredentials:
    type: basic
    accessKeyId: key-id
    secretAccessKey: key-secret
  maxOutstandingRecords: 9999
`;

const problemOf = (yaml: string): string => {
  try {
    loadModule(yaml);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('StateFun 3 module documents', () => {
  it('reads the Kinesis ingress and egress documents and names the others it skips', () => {
    const module = loadModule(MODULE_V3);
    const ingress = module.ingress('com.example/users');
    expect(ingress.type).toBe('io.statefun.kinesis.v1/ingress');
    expect(ingress.streams).toEqual([
      { stream: 'user-stream', typeUrl: 'com.example/User', targets: ['com.example.fns/greeter'] },
      {
        stream: 'audit-stream',
        typeUrl: 'com.example/Audit',
        targets: ['com.example.fns/auditor'],
      },
    ]);
    expect(ingress.sourceConfig).toMatchObject({
      streams: ['user-stream', 'audit-stream'],
      region: 'us-west-1',
      initialPosition: 'TRIM_HORIZON',
    });
    expect(module.egress('com.example/out').sinkConfig).toMatchObject({
      region: 'us-west-1',
      endpoint: 'https://localhost:4567',
      requests: { maxBuffered: 9999 },
    });
    expect(module.warnings).toContain(
      'document 1: kind (line 1): kind io.statefun.endpoints.v2/http is not a Kinesis ingress or egress; skipped',
    );
  });

  it('routes records of a StateFun 3 ingress to its targets', async () => {
    const client = new FakeKinesis();
    client.createStream('user-stream', 1);
    client.createStream('audit-stream', 1);
    client.put('user-stream', 'alice', 'hello');
    const routed = await lastValueFrom(
      loadModule(MODULE_V3)
        .ingress('com.example/users')
        .records({ client })
        .pipe(take(1), toArray()),
    );
    expect(routed.map((r) => [r.typeUrl, r.targets, r.record.partitionKey])).toEqual([
      ['com.example/User', ['com.example.fns/greeter'], 'alice'],
    ]);
  });

  it('points errors at the document, the StateFun 3 key and the line', () => {
    expect(
      problemOf(MODULE_V3.replace('valueType: com.example/Audit', 'valueTyp: com.example/Audit')),
    ).toContain('document 2: spec.streams[1]');
    expect(problemOf(MODULE_V3.replace('      valueType: com.example/User\n', ''))).toMatch(
      /document 2: spec\.streams\[0\]\.valueType \(line \d+\): expected/,
    );
    expect(problemOf(MODULE_V3.replace('id: com.example/out', 'id: no-slash'))).toMatch(
      /document 3: spec\.id \(line 28\): expected a function type namespace\/name/,
    );
    expect(
      problemOf(
        MODULE_V3.replace(
          'kind: io.statefun.kinesis.v1/egress',
          'kind: io.statefun.kinesis.v1/egres',
        ),
      ),
    ).toContain(
      'document 3: kind (line 26): expected io.statefun.kinesis.v1/ingress or io.statefun.kinesis.v1/egress (did you mean "io.statefun.kinesis.v1/egress"?)',
    );
    expect(
      problemOf(MODULE_V3.replace('maxOutstandingRecords: 9999', 'maxOutstandingRecords: -1')),
    ).toMatch(
      /document 3: spec\.maxOutstandingRecords \(line \d+\): expected a positive integer, got -1/,
    );
  });

  it('refuses several documents without kinds (a 1.0 module is one document)', () => {
    expect(problemOf('version: "1.0"\n---\nversion: "1.0"\n')).toContain(
      'expected one document (StateFun 1.0 / 2.0), or documents with a kind (StateFun 3)',
    );
  });
});
