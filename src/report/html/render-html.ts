/**
 * The report as one self-contained HTML file: CSS inline, SVG charts inline,
 * PNGs as data URIs, no scripts, fonts or fetches, so it opens from disk and
 * can be mailed as an attachment.
 */
import { escapeHtml } from './escape.js';
import { formatNumber } from './format-number.js';
import { inlineSvg } from './inline-svg.js';
import { REPORT_CSS } from './report-style.js';

export type Figure =
  | { readonly kind: 'svg'; readonly svg: string; readonly caption: string }
  | { readonly kind: 'png'; readonly png: Buffer; readonly caption: string; readonly alt: string };

export interface Table {
  readonly caption: string;
  readonly columns: readonly string[];
  /** Cells; numbers are written with {@link formatNumber} and right-aligned. */
  readonly rows: readonly (readonly (string | number)[])[];
  /** Fixed decimals per column for numeric cells (undefined: 3 significant digits). */
  readonly decimals?: readonly (number | undefined)[];
}

export interface Section {
  /** Anchor of the section: a letter, then letters, digits, '-' or '_'; unique in the report. */
  readonly id: string;
  readonly title: string;
  /** Plain text on how to read the section; blank lines separate paragraphs. */
  readonly description: string;
  readonly figures: readonly Figure[];
  readonly tables: readonly Table[];
}

export interface ReportPage {
  readonly title: string;
  readonly subtitle?: string;
  /** The runs the report compares, listed first. */
  readonly runs: readonly { readonly name: string; readonly description: string }[];
  readonly sections: readonly Section[];
  /** Shown first: a table of the runs' headline numbers and the warnings a reader must see before the figures. */
  readonly summary?: { readonly table: Table; readonly warnings: readonly string[] };
  /** A line for the footer (what made the report, when); left out if not given, so output is reproducible. */
  readonly footer?: string;
}

/** Anchors the page uses for itself; sections may not take them. */
const RESERVED_IDS = new Set(['contents', 'runs', 'summary']);

/**
 * Renders a report page to a complete HTML document.
 *
 * @returns the HTML text, starting `<!doctype html>`
 * @example renderHtml({ title: 'MNIST, k = 5', runs: [{ name: 'iwae-k5', description: 'IWAE, k = 5' }], sections: [] })
 */
export function renderHtml(o: ReportPage): string {
  checkSectionIds(o.sections);
  const toc = [
    ...(o.summary === undefined ? [] : [`<li><a href="#summary">Summary</a></li>`]),
    `<li><a href="#runs">Runs</a></li>`,
    ...o.sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`),
  ].join('\n');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="strata report">',
    `<title>${escapeHtml(o.title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<header>',
    `<h1>${escapeHtml(o.title)}</h1>`,
    o.subtitle === undefined || o.subtitle === '' ? '' : `<p class="subtitle">${escapeHtml(o.subtitle)}</p>`,
    '</header>',
    `<nav class="toc" id="contents" aria-label="Contents">\n<h2>Contents</h2>\n<ol>\n${toc}\n</ol>\n</nav>`,
    o.summary === undefined ? '' : renderSummary(o.summary),
    renderRuns(o.runs),
    ...o.sections.map(renderSection),
    o.footer === undefined ? '' : `<footer>${escapeHtml(o.footer)}</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function renderSummary(s: NonNullable<ReportPage['summary']>): string {
  const warnings = s.warnings.length === 0 ? '<p>No warnings.</p>' : `<ul class="warnings">\n${s.warnings.map((w) => `<li><strong>Warning:</strong> ${escapeHtml(w)}</li>`).join('\n')}\n</ul>`;
  return `<section id="summary">\n<h2>Summary</h2>\n${renderTable(s.table)}\n${warnings}\n</section>`;
}

function checkSectionIds(sections: readonly Section[]): void {
  const seen = new Set<string>();
  for (const { id } of sections) {
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) {
      throw new RangeError(`renderHtml: section id '${id}' must start with a letter and hold only letters, digits, '-' and '_' (e.g. 'active-units')`);
    }
    if (RESERVED_IDS.has(id)) throw new RangeError(`renderHtml: section id '${id}' is used by the page itself; pick another (e.g. '${id}-summary')`);
    if (seen.has(id)) throw new RangeError(`renderHtml: section id '${id}' is used twice; section ids must be unique`);
    seen.add(id);
  }
}

function renderRuns(runs: ReportPage['runs']): string {
  const body =
    runs.length === 0
      ? '<p class="empty">No runs.</p>'
      : renderTable({ caption: '', columns: ['Run', 'Description'], rows: runs.map((r) => [r.name, r.description]) });
  return `<section id="runs">\n<h2>Runs</h2>\n${body}\n</section>`;
}

function renderSection(s: Section): string {
  const figures = s.figures.map((f, i) => renderFigure(f, `${s.id}-fig${i + 1}`));
  const parts = [
    `<section id="${s.id}">`,
    `<h2>${escapeHtml(s.title)}</h2>`,
    renderDescription(s.description),
    figures.length === 0 ? '' : `<div class="figures">\n${figures.join('\n')}\n</div>`,
    ...s.tables.map(renderTable),
    s.figures.length === 0 && s.tables.length === 0 ? '<p class="empty">Nothing to show for these runs.</p>' : '',
    '<p class="back"><a href="#contents">↑ Contents</a></p>',
    '</section>',
  ];
  return parts.filter((p) => p !== '').join('\n');
}

/** Plain text as paragraphs: blank lines split paragraphs, single newlines become spaces. */
function renderDescription(text: string): string {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim().replace(/\s*\n\s*/g, ' '))
    .filter((p) => p !== '');
  return paragraphs.length === 0 ? '' : `<div class="description">${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</div>`;
}

function renderFigure(f: Figure, id: string): string {
  const caption = f.caption === '' ? '' : `<figcaption>${escapeHtml(f.caption)}</figcaption>`;
  if (f.kind === 'svg') return `<figure id="${id}">${inlineSvg(f.svg, id)}${caption}</figure>`;
  const { width, height } = pngSize(f.png);
  return (
    `<figure id="${id}"><img src="data:image/png;base64,${f.png.toString('base64')}" ` +
    `width="${width}" height="${height}" alt="${escapeHtml(f.alt)}">${caption}</figure>`
  );
}

/** Width and height from a PNG's IHDR chunk (bytes 16-23); throws if the bytes are not a PNG. */
function pngSize(png: Buffer): { width: number; height: number } {
  const signature = '89504e470d0a1a0a';
  if (png.length < 24 || png.subarray(0, 8).toString('hex') !== signature) {
    throw new Error('renderHtml: a png figure does not hold PNG bytes (wrong signature)');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function renderTable(t: Table): string {
  const numeric = t.columns.map((_, j) => t.rows.some((r) => typeof r[j] === 'number') && t.rows.every((r) => looksNumeric(r[j])));
  const head = t.columns.map((c, j) => `<th scope="col"${numeric[j] ? ' class="num"' : ''}>${escapeHtml(c)}</th>`).join('');
  const body = t.rows
    .map((row) => {
      const cells = t.columns.map((_, j) => {
        const cell = row[j];
        if (typeof cell === 'number') {
          const decimals = t.decimals?.[j];
          return `<td class="num">${escapeHtml(formatNumber(cell, decimals === undefined ? {} : { decimals }))}</td>`;
        }
        return `<td${numeric[j] ? ' class="num"' : ''}>${escapeHtml(cell ?? '')}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  const caption = t.caption === '' ? '' : `<caption>${escapeHtml(t.caption)}</caption>`;
  return `<div class="table-wrap"><table>${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

/** A number, or a string a numeric column may hold ('1,234', '-86.76', '12%', '—', 'n/a', ''). */
function looksNumeric(cell: string | number | undefined): boolean {
  if (cell === undefined || typeof cell === 'number') return true;
  return /^\s*([-+−]?[\d,]*\.?\d+(e[-+]?\d+)?\s*%?|[-—–]|n\/a|NaN|[-−]?∞|)\s*$/i.test(cell);
}
