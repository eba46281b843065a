import { type Observable, type SchedulerLike, asyncScheduler, filter, map, merge } from 'rxjs';
import { ConfigError } from '../client/errors.js';
import type { ClientConfig } from '../config/ClientConfig.js';
import type { CredentialsConfig } from '../config/CredentialsConfig.js';
import { describeErrorKeys } from '../config/decodeConfig.js';
import { suggestionFor } from '../config/didYouMean.js';
import type { KinesisRecord } from '../record.js';
import type { SinkConfig } from '../sink/SinkConfig.js';
import type { SinkInput } from '../sink/SinkInput.js';
import { mapSinkInput } from '../sink/mapSinkInput.js';
import { type KinesisSink, toKinesis } from '../sink/toKinesis.js';
import { fromKinesis } from '../source/fromKinesis.js';
import type { SourceConfig } from '../source/SourceConfig.js';
import {
  type AwsCredentialsSpec,
  type AwsRegionSpec,
  type IngressStreamSpec,
  ModuleDocument,
  parseStartupDate,
} from './ModuleCodec.js';
import { readModuleDocuments } from './readModuleDocuments.js';

/** A record from a routable ingress, with where it goes. */
export interface RoutedRecord {
  /** The stream's `typeUrl`: what the payload is. */
  readonly typeUrl: string;
  /** The functions (`namespace/name`) the record is routed to. */
  readonly targets: readonly string[];
  readonly record: KinesisRecord;
}

/** What a module egress accepts: StateFun's EgressRecord (stream, partition key, explicit hash key, value). */
export interface EgressRecord extends SinkInput {
  readonly partitionKey: string;
}

/** A declared ingress: its streams and routes, and the Observable of its records. */
export interface ModuleIngress {
  readonly id: string;
  readonly type: string;
  readonly streams: readonly IngressStreamSpec[];
  readonly sourceConfig: SourceConfig;
  /** Reads every stream of the ingress; each record comes with its stream's typeUrl and targets. */
  records(overrides?: Partial<SourceConfig>, scheduler?: SchedulerLike): Observable<RoutedRecord>;
}

/** A declared egress: the Observer that writes to Kinesis. */
export interface ModuleEgress {
  readonly id: string;
  readonly type: string;
  readonly sinkConfig: SinkConfig<EgressRecord>;
  /** A `toKinesis` sink; each record names its stream (or the egress's `stream`). */
  sink(
    overrides?: Partial<SinkConfig<EgressRecord>>,
    scheduler?: SchedulerLike,
  ): KinesisSink<EgressRecord>;
}

/** A loaded module: named ingresses and egresses. */
export interface LoadedModule {
  readonly ingresses: Readonly<Record<string, ModuleIngress>>;
  readonly egresses: Readonly<Record<string, ModuleEgress>>;
  /** Settings accepted but without effect here (Java client properties). */
  readonly warnings: readonly string[];
  /** The ingress with this id (a ConfigError with a did-you-mean otherwise). */
  ingress(id: string): ModuleIngress;
  /** The egress with this id (a ConfigError with a did-you-mean otherwise). */
  egress(id: string): ModuleEgress;
  /** The records of every ingress routed to `target` (`namespace/name`). */
  routedTo(target: string, scheduler?: SchedulerLike): Observable<RoutedRecord>;
}

function credentialsOf(spec: AwsCredentialsSpec): CredentialsConfig {
  switch (spec.type) {
    case 'default':
      return { type: 'AUTO' };
    case 'basic':
      return {
        type: 'BASIC',
        accessKeyId: spec.accessKeyId,
        secretAccessKey: spec.secretAccessKey,
        ...(spec.sessionToken !== undefined ? { sessionToken: spec.sessionToken } : {}),
      };
    case 'profile':
      return {
        type: 'PROFILE',
        ...(spec.profileName !== undefined ? { name: spec.profileName } : {}),
        ...(spec.profilePath !== undefined ? { path: spec.profilePath } : {}),
      };
    case 'env-var':
      return { type: 'ENV_VAR' };
    case 'assume-role':
      return {
        type: 'ASSUME_ROLE',
        roleArn: spec.roleArn,
        ...(spec.sessionName !== undefined ? { sessionName: spec.sessionName } : {}),
        ...(spec.externalId !== undefined ? { externalId: spec.externalId } : {}),
        ...(spec.base !== undefined ? { base: credentialsOf(spec.base) } : {}),
        ...(spec.stsEndpoint !== undefined ? { stsEndpoint: spec.stsEndpoint } : {}),
      };
    case 'web-identity-token':
      return {
        type: 'WEB_IDENTITY_TOKEN',
        ...(spec.tokenFile !== undefined ? { tokenFile: spec.tokenFile } : {}),
        ...(spec.roleArn !== undefined ? { roleArn: spec.roleArn } : {}),
        ...(spec.sessionName !== undefined ? { sessionName: spec.sessionName } : {}),
        ...(spec.stsEndpoint !== undefined ? { stsEndpoint: spec.stsEndpoint } : {}),
      };
  }
}

function clientOf(
  region: AwsRegionSpec | undefined,
  credentials: AwsCredentialsSpec | undefined,
): ClientConfig {
  const kind = credentials === undefined ? undefined : credentialsOf(credentials);
  return {
    ...(region?.type === 'specific' ? { region: region.id } : {}),
    ...(region?.type === 'custom-endpoint'
      ? {
          region: region.id,
          endpoint: region.endpoint,
          ...(region.trustAllCertificates === true ? { trustAllCertificates: true } : {}),
        }
      : {}),
    ...(kind !== undefined && kind.type !== 'AUTO' ? { credentials: kind } : {}),
  };
}

/**
 * Loads a Stateful Functions module (YAML or JSON) with Kinesis ingresses
 * and egresses, as StateFun's remote module declares them: each ingress
 * reads several streams (each with its `typeUrl` and `targets`) from a
 * startup position; each egress writes with `maxOutstandingRecords` as its
 * backpressure threshold. Regions (`default`, `specific`,
 * `custom-endpoint`) and credentials (`default`, `basic`, `profile`, plus
 * `env-var`, `assume-role`, `web-identity-token`) are StateFun's words.
 * A bad module is one `ConfigError` whose paths point into the YAML with
 * line numbers: `module.spec.ingresses[0].ingress.spec.streams[1].stream (line 23)`.
 *
 * ## Example
 * ```ts
 * import { loadModule } from 'rx-kinesis';
 * const module = loadModule(yamlText);
 * module.ingress('example-namespace/messages').records()
 *   .subscribe(({ targets, record }) => console.log(targets, record.sequenceNumber));
 * ```
 */
export function loadModule(text: string): LoadedModule {
  const source = readModuleDocuments(text);
  const decoded = ModuleDocument.decode(source.raw);
  if (decoded._tag === 'Left') {
    throw new ConfigError(
      describeErrorKeys(decoded.left).map(({ keys, value, expected }) => ({
        value,
        expected,
        path: source.locate(keys),
      })),
    );
  }
  const spec = decoded.right.module.spec;
  const warnings: string[] = [...source.warnings];
  const problems: Array<{ path: string; value: unknown; expected: string }> = [];
  const ingresses: Record<string, ModuleIngress> = {};
  const egresses: Record<string, ModuleEgress> = {};

  (spec.ingresses ?? []).forEach(({ ingress }, index) => {
    const at = ['module', 'spec', 'ingresses', String(index), 'ingress'];
    if (ingresses[ingress.meta.id] !== undefined) {
      problems.push({
        path: source.locate([...at, 'meta', 'id']),
        value: ingress.meta.id,
        expected: 'an ingress id not used before',
      });
    }
    const s = ingress.spec;
    ingress.spec.streams.forEach((stream, i) => {
      if (s.streams.findIndex((other) => other.stream === stream.stream) !== i) {
        const keys = [...at, 'spec', 'streams', String(i), 'stream'];
        problems.push({
          path: source.locate(keys),
          value: stream.stream,
          expected: 'a stream not listed before in this ingress',
        });
      }
    });
    if (s.clientConfigProperties !== undefined && s.clientConfigProperties.length > 0)
      warnings.push(
        `${ingress.meta.id}: clientConfigProperties (${s.clientConfigProperties.flatMap((p) => Object.keys(p)).join(', ')}) are Java client settings; ignored`,
      );
    const position = s.startupPosition ?? { type: 'latest' };
    const sourceConfig: SourceConfig = {
      streams: s.streams.map((stream) => stream.stream),
      ...clientOf(s.awsRegion, s.awsCredentials),
      initialPosition:
        position.type === 'latest'
          ? 'LATEST'
          : position.type === 'earliest'
            ? 'TRIM_HORIZON'
            : { type: 'AT_TIMESTAMP', timestamp: parseStartupDate(position.date) as Date },
    };
    const routes = new Map(s.streams.map((stream) => [stream.stream, stream]));
    ingresses[ingress.meta.id] = {
      id: ingress.meta.id,
      type: ingress.meta.type,
      streams: s.streams,
      sourceConfig,
      records: (overrides = {}, scheduler = asyncScheduler) =>
        fromKinesis({ ...sourceConfig, ...overrides } as SourceConfig, scheduler).pipe(
          map((record) => {
            const route = routes.get(record.stream);
            return { typeUrl: route?.typeUrl ?? '', targets: route?.targets ?? [], record };
          }),
        ),
    };
  });

  (spec.egresses ?? []).forEach(({ egress }, index) => {
    const at = ['module', 'spec', 'egresses', String(index), 'egress'];
    if (egresses[egress.meta.id] !== undefined) {
      problems.push({
        path: source.locate([...at, 'meta', 'id']),
        value: egress.meta.id,
        expected: 'an egress id not used before',
      });
    }
    const s = egress.spec;
    if (s.clientConfigProperties !== undefined && s.clientConfigProperties.length > 0)
      warnings.push(
        `${egress.meta.id}: clientConfigProperties (${s.clientConfigProperties.flatMap((p) => Object.keys(p)).join(', ')}) are KPL settings; ignored`,
      );
    const sinkConfig: SinkConfig<EgressRecord> = {
      // StateFun's generic egress has no default stream: each record names one (checked per record)
      stream: s.stream ?? '(named by each record)',
      ...clientOf(s.awsRegion, s.awsCredentials),
      ...(s.maxOutstandingRecords !== undefined
        ? { requests: { maxBuffered: s.maxOutstandingRecords } }
        : {}),
    };
    const id = egress.meta.id;
    egresses[id] = {
      id,
      type: egress.meta.type,
      sinkConfig,
      sink: (overrides = {}, scheduler = asyncScheduler) => {
        const sink = toKinesis<EgressRecord>(
          { ...sinkConfig, ...overrides } as SinkConfig<EgressRecord>,
          scheduler,
        );
        if (s.stream !== undefined) return sink;
        return mapSinkInput(sink, (record: EgressRecord) => {
          if (record.stream === undefined || record.stream === '')
            throw new ConfigError([
              {
                path: `egress ${id}: record.stream`,
                value: record.stream,
                expected: 'a stream on every record (this egress has no spec.stream)',
              },
            ]);
          return record;
        });
      },
    };
  });
  if (problems.length > 0) throw new ConfigError(problems);

  const lookup = <V>(kind: string, all: Readonly<Record<string, V>>, id: string): V => {
    const found = all[id];
    if (found === undefined)
      throw new ConfigError([
        {
          path: kind,
          value: id,
          expected: `one of ${Object.keys(all).join(', ') || '(none declared)'}${suggestionFor(id, Object.keys(all))}`,
        },
      ]);
    return found;
  };
  return {
    ingresses,
    egresses,
    warnings,
    ingress: (id) => lookup('ingress', ingresses, id),
    egress: (id) => lookup('egress', egresses, id),
    routedTo: (target, scheduler = asyncScheduler) => {
      const sources = Object.values(ingresses).filter((i) =>
        i.streams.some((s) => s.targets.includes(target)),
      );
      if (sources.length === 0) {
        const all = Object.values(ingresses).flatMap((i) => i.streams.flatMap((s) => s.targets));
        throw new ConfigError([
          {
            path: 'target',
            value: target,
            expected: `a target of some ingress stream${suggestionFor(target, all)}`,
          },
        ]);
      }
      return mergeRouted(
        sources.map((i) => i.records({}, scheduler)),
        target,
      );
    },
  };
}

function mergeRouted(
  sources: Array<Observable<RoutedRecord>>,
  target: string,
): Observable<RoutedRecord> {
  return merge(...sources).pipe(filter((routed) => routed.targets.includes(target)));
}
