/** The report's whole stylesheet, inlined in <head>: system fonts only, readable line length, print-friendly. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; --accent: #0b5cad; --stripe: #f6f8fa; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; color: var(--ink); background: #fff;
  font-family: Helvetica, Arial, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5; }
main { max-width: 1180px; margin: 0 auto; padding: 32px 32px 64px; }
header { border-bottom: 2px solid var(--ink); padding-bottom: 12px; margin-bottom: 24px; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 4px; }
.subtitle { color: var(--muted); font-size: 1.05rem; margin: 0; }
h2 { font-size: 1.4rem; margin: 0 0 8px; padding-top: 8px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
nav.toc { background: var(--stripe); border: 1px solid var(--rule); border-radius: 6px; padding: 12px 20px; margin-bottom: 32px; }
nav.toc h2 { font-size: 1.05rem; margin: 0 0 4px; padding: 0; }
nav.toc ol { margin: 0; padding-left: 1.4em; columns: 2 280px; column-gap: 32px; }
nav.toc li { margin: 2px 0; break-inside: avoid; }
section { margin: 0 0 40px; padding-top: 8px; border-top: 1px solid var(--rule); scroll-margin-top: 12px; }
.description { max-width: 78ch; margin: 0 0 12px; }
.description p { margin: 0 0 8px; }
.figures { display: flex; flex-wrap: wrap; gap: 24px 32px; align-items: flex-start; margin: 16px 0; }
figure { margin: 0; max-width: 100%; break-inside: avoid; }
figure svg { display: block; max-width: 100%; height: auto; }
figure img { display: block; max-width: 100%; height: auto; image-rendering: pixelated; border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: 0.9rem; max-width: 60ch; margin-top: 6px; }
.table-wrap { overflow-x: auto; margin: 16px 0; }
table { border-collapse: collapse; font-size: 0.92rem; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; color: var(--muted); font-size: 0.9rem; padding-bottom: 6px; }
th, td { padding: 5px 12px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { border-bottom: 2px solid var(--ink); font-weight: 600; white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--stripe); }
td.num, th.num { text-align: right; white-space: nowrap; }
.empty { color: var(--muted); font-style: italic; }
.back { font-size: 0.85rem; }
footer { color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--rule); padding-top: 12px; }
@media print { main { max-width: none; padding: 0; } nav.toc { break-after: page; } section { break-before: auto; } .back { display: none; } }
`;
