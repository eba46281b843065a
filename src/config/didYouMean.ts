/**
 * Levenshtein distance between two strings (insertions, deletions and
 * substitutions each cost 1), computed with two rows.
 *
 * ## Example
 * ```ts
 * import { editDistance } from 'rx-kinesis';
 * editDistance('intpos', 'initpos'); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate closest to a misspelt word, if one is close enough to be a
 * likely typo (case is ignored; at most a third of the word may differ).
 *
 * ## Example
 * ```ts
 * import { didYouMean } from 'rx-kinesis';
 * didYouMean('scan.stream.intpos', ['scan.stream.initpos', 'stream']); // 'scan.stream.initpos'
 * ```
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(2, Math.ceil(word.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** ` (did you mean "x"?)` or nothing: the tail of an error message. */
export function suggestionFor(word: string, candidates: Iterable<string>): string {
  const match = didYouMean(word, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}
