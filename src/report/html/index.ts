/** The report page: sections of figures and tables as one self-contained HTML file. */
export { escapeHtml } from './escape.js';
export { formatNumber, type NumberFormat } from './format-number.js';
export { renderHtml, type Figure, type ReportPage, type Section, type Table } from './render-html.js';
