import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEPRECATED_PRODUCER_OPTIONS,
  FLINK_OPTION_SPECS,
} from '../../src/config/flinkOptionSpecs.js';

describe('docs/flink-options.md', () => {
  const doc = readFileSync(new URL('../../docs/flink-options.md', import.meta.url), 'utf8');
  it('lists every option key and every deprecated sink.producer key', () => {
    const missing = [
      ...FLINK_OPTION_SPECS.map((s) => s.key),
      ...DEPRECATED_PRODUCER_OPTIONS.map((d) => d.key),
    ].filter((key) => !doc.includes(`\`${key}`));
    expect(missing).toEqual([]);
  });
  it('shows each default', () => {
    for (const spec of FLINK_OPTION_SPECS) {
      if (spec.default === undefined) continue;
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${spec.key}\``));
      expect(row, spec.key).toContain(`\`${spec.default.replace(/\|/g, '\\|')}\``);
    }
  });
});
