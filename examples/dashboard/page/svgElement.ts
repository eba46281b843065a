const SVG = 'http://www.w3.org/2000/svg';

/** A new SVG element with attributes (and text), appended to `parent`. */
export function svgElement(
  parent: Element,
  tag: string,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElement {
  const element = parent.ownerDocument.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  parent.appendChild(element);
  return element;
}
