// The versions that run: read from each installed package.json (not from our package.json's
// ranges), so a benchmark line says which SDK and RxJS it measured.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The packages whose versions decide the CPU cost per record. */
export const measuredPackages = [
  '@aws-sdk/client-kinesis',
  '@aws-sdk/core',
  '@smithy/core',
  '@smithy/node-http-handler',
  'rxjs',
] as const;

/**
 * The oldest `@aws-sdk/core` known not to filter every response in its logger step when nothing
 * logs: 3.981.0 did (fromKinesis used ~1.3x the CPU per record of a bare SDK loop with it),
 * 3.981.2 does not.
 */
export const minimumAwsSdkCore = '3.981.2';

/** The installed version of a package (its package.json under node_modules). */
export function installedVersion(name: string): string {
  const file = `${root}node_modules/${name}/package.json`;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The version the lock file resolves for a top-level package. */
export function lockedVersion(name: string): string | undefined {
  const lock = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8')) as {
    packages?: Record<string, { version?: string }>;
  };
  return lock.packages?.[`node_modules/${name}`]?.version;
}

/** Compares two `major.minor.patch` versions: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** One line: `@aws-sdk/client-kinesis 3.1143.0, @aws-sdk/core 3.981.2, ...`. */
export function versionsLine(): string {
  return measuredPackages.map((name) => `${name} ${installedVersion(name)}`).join(', ');
}
