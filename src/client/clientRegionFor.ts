import { ConfigError } from './errors.js';
import { looksLikeArn, parseStreamArn } from './StreamArn.js';

/** One stream reference of a config, with the config path it came from. */
export interface StreamAt {
  readonly path: string;
  readonly stream: string;
}

/**
 * The region a client must use for streams given by ARN: the configured
 * `region` when every ARN is in it, else (none configured) the ARNs' own
 * region. A client made for one region cannot reach a stream in another, so
 * an ARN in a region other than the configured one, or ARNs in two regions,
 * is a `ConfigError` naming the path, the ARN and the region expected.
 * Streams given by name say nothing about the region: with no ARN the
 * configured region (possibly undefined) is returned as it is.
 *
 * ## Example
 * ```ts
 * import { clientRegionFor } from 'rx-kinesis';
 * clientRegionFor(undefined, [{ path: 'sink.stream',
 *   stream: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders' }]); // 'eu-west-1'
 * ```
 *
 * @param region the configured region, if any
 * @param streams the stream references and their config paths
 * @returns the region the client should be made for, or undefined to leave it to the SDK
 */
export function clientRegionFor(
  region: string | undefined,
  streams: readonly StreamAt[],
): string | undefined {
  let chosen = region;
  let chosenFrom = region !== undefined ? 'the configured region' : undefined;
  const problems: Array<{ path: string; value: unknown; expected: string }> = [];
  for (const { path, stream } of streams) {
    if (!looksLikeArn(stream)) continue;
    const parts = parseStreamArn(stream);
    if (parts === undefined) continue; // the codec has said so already
    if (chosen === undefined) {
      chosen = parts.region;
      chosenFrom = `the region of ${path}`;
    } else if (parts.region !== chosen) {
      problems.push({
        path,
        value: stream,
        expected: `a stream ARN in region ${chosen} (${chosenFrom}): one client reaches one region`,
      });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return chosen;
}
