import type * as t from 'io-ts';
import { describeErrors } from '../config/decodeConfig.js';
import type { FieldProblem } from './RecordFormat.js';

/** io-ts errors of a row as field problems (`user_id`, `address.city`; `''` for the row itself). */
export function rowProblems(errors: t.Errors): FieldProblem[] {
  return describeErrors(errors, '').map((problem) => ({
    field: problem.path.replace(/^\./, ''),
    expected: problem.expected,
    value: problem.value,
  }));
}
