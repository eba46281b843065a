import { createRequire } from 'node:module';

/** The versions the launchers are tested with (optional peer dependencies of rx-kinesis). */
const TESTED: Readonly<Record<string, string>> = {
  'kinesis-local': '0.6.2',
  kinesalite: '3.3.3',
};

/** An optional peer dependency is missing: the message says what to install. */
export class MissingPackageError extends Error {
  override readonly name = 'MissingPackageError';
  constructor(
    readonly packageName: string,
    readonly neededBy: string,
  ) {
    super(
      `${neededBy} needs the package ${packageName}, which is not installed: ` +
        `npm install --save-dev ${packageName}@${TESTED[packageName] ?? 'latest'}`,
    );
  }
}

/** `require.resolve(specifier)` for an optional peer dependency, or a `MissingPackageError`. */
export function resolveOptional(specifier: string, neededBy: string): string {
  const require = createRequire(import.meta.url);
  const packageName = specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : (specifier.split('/')[0] ?? specifier);
  try {
    return require.resolve(specifier);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND')
      throw new MissingPackageError(packageName, neededBy);
    throw error;
  }
}
