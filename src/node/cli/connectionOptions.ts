import type { ParseArgsConfig } from 'node:util';
import { REDACTED, isSecretPath } from '../../client/redactSecrets.js';
import { parseStreamArn } from '../../client/StreamArn.js';
import { UsageError } from './UsageError.js';

/** Options every command takes to reach Kinesis (Flink's option names behind them). */
export const CONNECTION_OPTIONS = {
  region: { type: 'string' },
  endpoint: { type: 'string' },
  profile: { type: 'string' },
  'trust-all-certificates': { type: 'boolean' },
  option: { type: 'string', short: 'o', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const CONNECTION_HELP = `Connection:
  --region <id>               AWS region (default: a stream ARN's region, else the SDK's default chain, e.g. AWS_REGION)
  --endpoint <url>            custom endpoint, e.g. http://127.0.0.1:4567 (default: AWS_ENDPOINT_URL_KINESIS)
  --trust-all-certificates    accept a self-signed certificate on an https endpoint
  --profile <name>            credentials from a profile of ~/.aws (default: the SDK's default chain)
  -o, --option <key=value>    any Flink Kinesis connector option, e.g. -o scan.shard.getrecords.maxrecordcount=500
                              or -o aws.credentials.provider=ASSUME_ROLE -o aws.credentials.role.arn=...
  -h, --help                  this help`;

interface ConnectionValues {
  region?: string;
  endpoint?: string;
  profile?: string;
  'trust-all-certificates'?: boolean;
  option?: string[];
}

/**
 * The Flink option map the connection flags and `-o key=value` pairs stand
 * for. With no region given, a stream given by ARN (`streams`) says it,
 * before the environment's default.
 */
export function flinkOptionsOf(
  values: ConnectionValues,
  command: string,
  streams: readonly string[] = [],
): Record<string, string> {
  const options: Record<string, string> = {};
  for (const pair of values.option ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw new UsageError(
        // the pair may hold a secret (a key typed with ':' instead of '='): never echo it then
        `-o expects key=value, got "${isSecretPath(pair) || /secret|token/i.test(pair) ? REDACTED : pair}"`,
        command,
      );
    options[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  if (values.region !== undefined) options['aws.region'] = values.region;
  // the AWS variables for a custom endpoint (what `rx-kinesis emulator` prints), when no flag says one
  const endpoint =
    values.endpoint ?? process.env['AWS_ENDPOINT_URL_KINESIS'] ?? process.env['AWS_ENDPOINT_URL'];
  if (endpoint !== undefined && endpoint !== '') options['aws.endpoint'] = endpoint;
  if (values['trust-all-certificates'] === true) options['aws.trust.all.certificates'] = 'true';
  if (values.profile !== undefined) {
    options['aws.credentials.provider'] = 'PROFILE';
    options['aws.credentials.profile.name'] = values.profile;
  }
  if (options['aws.region'] === undefined) {
    const fromArn = streams.map(parseStreamArn).find((parts) => parts !== undefined)?.region;
    if (fromArn !== undefined) options['aws.region'] = fromArn;
  }
  // Flink requires a region or an endpoint; here the SDK's default chain may supply the region
  if (options['aws.region'] === undefined && options['aws.endpoint'] === undefined) {
    const region = process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'];
    if (region === undefined)
      throw new UsageError('no region: pass --region, --endpoint, or set AWS_REGION', command);
    options['aws.region'] = region;
  }
  if (options['aws.endpoint'] !== undefined && options['aws.region'] === undefined) {
    options['aws.region'] = process.env['AWS_REGION'] ?? 'us-east-1';
  }
  return options;
}
