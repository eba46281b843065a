import { errorText, show } from '../client/errors.js';

/** One reason a stored state does not decode: where in it, what was there, what was expected. */
export interface CheckpointProblem {
  readonly path: string;
  readonly value: unknown;
  readonly expected: string;
}

/**
 * A checkpoint store could not load its state: the read failed (`cause`), or
 * what it holds is not a `CheckpointState` (`problems`, each naming the path
 * inside the stored value). Never a silent fresh start.
 */
export class CheckpointLoadError extends Error {
  override readonly name = 'CheckpointLoadError';
  constructor(
    /** The store, as it describes itself (`file /path`, `DynamoDB table t, key k`). */
    readonly store: string,
    readonly problems: readonly CheckpointProblem[],
    override readonly cause?: unknown,
  ) {
    super(
      problems.length > 0
        ? `${store} holds no valid checkpoint state:\n` +
            problems
              .map((p) => `${p.path}: expected ${p.expected}, got ${show(p.value)}`)
              .join('\n')
        : `${store}: loading the checkpoint state failed: ${errorText(cause)}`,
    );
  }
}
