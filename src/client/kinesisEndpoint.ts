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

/** The DNS suffix of a region's partition (as the SDK's partitions table has it). */
function dnsSuffixOf(region: string): string {
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  if (region.startsWith('us-isob-')) return 'sc2s.sgov.gov';
  if (region.startsWith('us-isof-')) return 'csp.hci.ic.gov';
  if (region.startsWith('us-iso-')) return 'c2s.ic.gov';
  if (region.startsWith('eu-isoe-')) return 'cloud.adc-e.uk';
  return 'amazonaws.com';
}

/**
 * The endpoint of a Kinesis request, as the AWS SDK's endpoint rules pick it
 * for the cases rx-kinesis uses: a configured `endpoint` as given (its path
 * kept); otherwise `kinesis.<region>.<partition suffix>`, or, for a request
 * addressed by `StreamARN`, the account's endpoint
 * `<account>.<data|control>-kinesis.<region>.<suffix>`. FIPS and dual-stack
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
  const suffix = dnsSuffixOf(where.region);
  const arn = input.StreamARN;
  const account =
    typeof arn === 'string' ? /^arn:[^:]+:kinesis:[^:]*:(\d{12}):/.exec(arn)?.[1] : undefined;
  const hostname =
    account !== undefined
      ? `${account}.${DATA_PLANE.has(operation) ? 'data' : 'control'}-kinesis.${where.region}.${suffix}`
      : `kinesis.${where.region}.${suffix}`;
  return { protocol: 'https:', hostname, path: '/' };
}
