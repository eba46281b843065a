import { type Document, LineCounter, isMap, isNode, isScalar } from 'yaml';

/** `module.spec.ingresses[0].ingress.spec` from the keys `['module','spec','ingresses','0',…]`. */
export function yamlPathText(keys: readonly string[]): string {
  let text = '';
  for (const key of keys) {
    if (/^\d+$/.test(key)) text += `[${key}]`;
    else if (!/^[^\s.[\]"'`]+$/u.test(key)) text += `[${JSON.stringify(key)}]`;
    else text += text === '' ? key : `.${key}`;
  }
  return text;
}

/**
 * The line of the node at `keys` in a parsed YAML document, or of its
 * nearest existing parent (a missing key is reported where its parent is).
 */
export function yamlLineOf(
  document: Document,
  lines: LineCounter,
  keys: readonly string[],
): number | undefined {
  for (let depth = keys.length; depth >= 0; depth--) {
    const path = keys.slice(0, depth).map((key) => (/^\d+$/.test(key) ? Number(key) : key));
    const parent = depth === 0 ? undefined : document.getIn(path.slice(0, -1), true);
    // a map entry: report the line of its key (the value may start on the next line)
    if (isMap(parent)) {
      const pair = parent.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(path[path.length - 1]),
      );
      if (pair !== undefined && isNode(pair.key) && pair.key.range != null)
        return lines.linePos(pair.key.range[0]).line;
      continue;
    }
    const node = depth === 0 ? document.contents : document.getIn(path, true);
    if (isNode(node) && node.range != null) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

export { LineCounter };
