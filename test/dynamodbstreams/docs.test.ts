import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DYNAMODB_STREAMS_OPTION_SPECS } from '../../src/index.js';

describe('docs/dynamodb-streams.md', () => {
  const whole = readFileSync(new URL('../../docs/dynamodb-streams.md', import.meta.url), 'utf8');
  const page = whole.slice(whole.indexOf('## Flink option keys'));
  const rows = new Map(
    [...page.matchAll(/^\|\s*`([^`]+)`\s*\|([^|]*)\|([^|]*)\|/gm)].map((m) => [
      m[1],
      { default: (m[2] ?? '').trim(), mapsTo: (m[3] ?? '').trim() },
    ]),
  );

  it('lists every option key of the table with its default, and no other key', () => {
    for (const spec of DYNAMODB_STREAMS_OPTION_SPECS) {
      expect(rows.get(spec.key), spec.key).toMatchObject({ default: spec.default ?? '' });
      if (spec.mapsTo.length === 0) expect(rows.get(spec.key)?.mapsTo).toBe('(none)');
    }
    const keys = [...rows.keys()];
    expect(keys.sort()).toEqual(DYNAMODB_STREAMS_OPTION_SPECS.map((s) => s.key).sort());
  });
});
