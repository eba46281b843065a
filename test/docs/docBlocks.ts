import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** One ```ts block of a Markdown file. */
export interface DocBlock {
  /** `README.md`, `docs/leases.md`, ... */
  readonly file: string;
  /** Line of the opening fence (1-based). */
  readonly line: number;
  readonly code: string;
}

/** Every ```ts block of README.md and docs/*.md under `root`. */
export function docBlocks(root: string): DocBlock[] {
  const files = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`),
  ];
  const blocks: DocBlock[] = [];
  for (const file of files) {
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    let start: number | undefined;
    let body: string[] = [];
    lines.forEach((text, index) => {
      if (start === undefined && /^```(ts|typescript)\s*$/.test(text.trim())) {
        start = index + 1;
        body = [];
      } else if (start !== undefined && text.trim() === '```') {
        blocks.push({ file, line: start, code: body.join('\n') });
        start = undefined;
      } else if (start !== undefined) body.push(text);
    });
  }
  return blocks;
}
