import type { InitialPosition } from '../../source/InitialPosition.js';
import { UsageError } from './UsageError.js';

/**
 * `--from` in words a shell user types: `latest`, `trim_horizon` (or
 * `earliest`), seconds since the epoch, or an ISO-8601 date.
 */
export function initialPositionOf(text: string | undefined, command: string): InitialPosition {
  if (text === undefined) return 'LATEST';
  const word = text.trim().toUpperCase();
  if (word === 'LATEST') return 'LATEST';
  if (word === 'TRIM_HORIZON' || word === 'EARLIEST' || word === 'TRIM-HORIZON')
    return 'TRIM_HORIZON';
  if (/^\d+(\.\d+)?$/.test(text.trim())) return { type: 'AT_TIMESTAMP', timestamp: Number(text) };
  const date = new Date(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text.trim()) && !isNaN(date.getTime()))
    return { type: 'AT_TIMESTAMP', timestamp: date };
  throw new UsageError(
    `--from expects latest, trim_horizon (earliest), seconds since the epoch or an ISO-8601 date, got "${text}"`,
    command,
  );
}
