import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SQL_OPTION_ROWS } from '../../src/flink/families/sqlOptionRows.js';

describe('docs/flink-options.md', () => {
  const doc = readFileSync(new URL('../../docs/flink-options.md', import.meta.url), 'utf8');
  it('lists every SQL option key, deprecated sink.producer keys included', () => {
    const missing = SQL_OPTION_ROWS.map((row) => row.key).filter(
      (key) => !doc.includes(`\`${key}`),
    );
    expect(missing).toEqual([]);
  });
  it('shows each default on its key’s row', () => {
    for (const row of SQL_OPTION_ROWS) {
      if (row.default === undefined) continue;
      const line = doc.split('\n').find((l) => l.startsWith(`| \`${row.key}\``));
      expect(line, row.key).toContain(`\`${row.default.replace(/\|/g, '\\|')}\``);
    }
  });
});
