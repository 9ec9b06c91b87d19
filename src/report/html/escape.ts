/**
 * Escapes text for HTML or XML content and attribute values: `&`, `<`, `>`,
 * `"` and `'` become entities, so a run named `<script>` is shown, not run.
 *
 * @example escapeHtml('a < b & "c"') === 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
