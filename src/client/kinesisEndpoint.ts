/** Where one Kinesis request goes. */
export interface KinesisEndpoint {
  readonly protocol: 'http:' | 'https:';
  readonly hostname: string;
  readonly port?: number;
  /** Ends with `/`. */
  readonly path: string;
}

// The operations AWS routes to a stream's data plane; the rest go to its control plane.
const DATA_PLANE = new Set([
  'GetRecords',
  'GetShardIterator',
  'PutRecord',
  'PutRecords',
  'SubscribeToShard',
]);

// A region's partition and its DNS suffix (as the SDK's partitions table has them).
const PARTITIONS: ReadonlyArray<readonly [prefix: string, partition: string, suffix: string]> = [
  ['cn-', 'aws-cn', 'amazonaws.com.cn'],
  ['us-gov-', 'aws-us-gov', 'amazonaws.com'],
  ['us-isob-', 'aws-iso-b', 'sc2s.sgov.gov'],
  ['us-isof-', 'aws-iso-f', 'csp.hci.ic.gov'],
  ['us-iso-', 'aws-iso', 'c2s.ic.gov'],
  ['eu-isoe-', 'aws-iso-e', 'cloud.adc-e.uk'],
];

function partitionOf(region: string): readonly [partition: string, suffix: string] {
  const found = PARTITIONS.find(([prefix]) => region.startsWith(prefix));
  return found !== undefined ? [found[1], found[2]] : ['aws', 'amazonaws.com'];
}

/**
 * The endpoint of a Kinesis request, as the AWS SDK's endpoint rules pick it
 * for the cases rx-kinesis uses: a configured `endpoint` as given (its path
 * kept); otherwise `kinesis.<region>.<partition suffix>`, or, for a request
 * addressed by `StreamARN`, the account's endpoint
 * `<account>.<data|control>-kinesis.<region>.<suffix>` (an ARN of another
 * partition than the region's is an `EndpointError`). FIPS and dual-stack
 * endpoints are not chosen here (give them as `endpoint`).
 *
 * @param operation the Kinesis operation (`GetRecords`, …)
 * @param input the command's input (its `StreamARN` is looked at)
 * @param where the client's `region` and optional `endpoint` URL
 */
export function kinesisEndpoint(
  operation: string,
  input: { readonly StreamARN?: unknown },
  where: { readonly region: string; readonly endpoint?: string },
): KinesisEndpoint {
  if (where.endpoint !== undefined) {
    const url = new URL(where.endpoint);
    return {
      protocol: url.protocol === 'http:' ? 'http:' : 'https:',
      hostname: url.hostname,
      ...(url.port !== '' ? { port: Number(url.port) } : {}),
      path: url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`,
    };
  }
  const [partition, suffix] = partitionOf(where.region);
  const arn =
    typeof input.StreamARN === 'string'
      ? /^arn:([^:]+):kinesis:[^:]*:(\d{12}):/.exec(input.StreamARN)
      : null;
  if (arn !== null && arn[1] !== partition) {
    // as the SDK's endpoint rules: the stream is in another partition than the client's region
    throw Object.assign(
      new Error(`Partition: ${arn[1]} from ARN doesn't match with partition name: ${partition}.`),
      { name: 'EndpointError' },
    );
  }
  const account = arn?.[2];
  const hostname =
    account !== undefined
      ? `${account}.${DATA_PLANE.has(operation) ? 'data' : 'control'}-kinesis.${where.region}.${suffix}`
      : `kinesis.${where.region}.${suffix}`;
  return { protocol: 'https:', hostname, path: '/' };
}
