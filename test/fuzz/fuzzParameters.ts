import type { Parameters } from 'fast-check';

/**
 * fast-check parameters of one property: a fixed seed (so a run is
 * reproducible) and a modest number of runs. `FUZZ_RUNS=10000` runs more;
 * `FUZZ_SEED=<n>` replays another seed (fast-check prints the seed and the
 * shrunk counterexample's path on failure).
 */
export function fuzzParameters<T>(seed: number, numRuns: number): Parameters<T> {
  const runs = Number(process.env['FUZZ_RUNS']);
  const replay = Number(process.env['FUZZ_SEED']);
  return {
    seed: Number.isInteger(replay) && process.env['FUZZ_SEED'] !== '' ? replay : seed,
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : numRuns,
  };
}
