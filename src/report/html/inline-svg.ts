/**
 * Prepares a standalone SVG document for inlining into an HTML page: drops
 * the XML prolog and doctype, and prefixes every `id` (and each `#id`
 * reference to it) so that two charts that both define `clip1` cannot clip
 * each other once they share one document.
 *
 * @example inlineSvg('<svg><clipPath id="c"/><g clip-path="url(#c)"/></svg>', 'f1')
 *   // '<svg><clipPath id="f1-c"/><g clip-path="url(#f1-c)"/></svg>'
 */
export function inlineSvg(svg: string, prefix: string): string {
  const body = svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '').replace(/^\s*<!DOCTYPE[^>]*>\s*/i, '');
  if (!/^<svg[\s>]/.test(body)) throw new Error(`inlineSvg: figure '${prefix}' is not an SVG document (it starts with '${body.slice(0, 20)}')`);
  if (/<(script|foreignObject)[\s>/]/i.test(body) || hasEventHandler(body)) {
    throw new Error(`inlineSvg: figure '${prefix}' holds a script, an event handler or foreignObject; charts must be plain SVG`);
  }
  const ids = new Set([...body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
  if (ids.size === 0) return body;
  const rename = (id: string): string => (ids.has(id) ? `${prefix}-${id}` : id);
  return body
    .replace(/(\sid=")([^"]+)"/g, (_, head: string, id: string) => `${head}${rename(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/(\s(?:xlink:)?href=")#([^"]+)"/g, (_, head: string, id: string) => `${head}#${rename(id)}"`);
}

/** Whether any tag has an `on...` attribute (quoted values are skipped, so `aria-label="onset=1"` is fine). */
function hasEventHandler(markup: string): boolean {
  for (const tag of markup.matchAll(/<[a-zA-Z][^\s/>]*((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)) {
    for (const attribute of tag[1]!.matchAll(/\s([^\s=/>]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      if (/^on/i.test(attribute[1]!)) return true;
    }
  }
  return false;
}
