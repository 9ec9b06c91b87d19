import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/report/html/escape.js';
import { inlineSvg } from '../../src/report/html/inline-svg.js';
import { renderHtml, type ReportPage, type Section } from '../../src/report/html/render-html.js';

const HOSTILE = '<script>alert("x")</script>';

function tinyPng(): Buffer {
  const png = new PNG({ width: 3, height: 2 });
  png.data.fill(200);
  return PNG.sync.write(png);
}

const SVG_WITH_CLIP = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><clipPath id="clip1"><rect width="5" height="5"/></clipPath></defs><g clip-path="url(#clip1)"><rect width="10" height="10"/></g></svg>';

function section(id: string, extra: Partial<Section> = {}): Section {
  return { id, title: `Title of ${id}`, description: `How to read ${id}.`, figures: [], tables: [], ...extra };
}

function page(extra: Partial<ReportPage> = {}): ReportPage {
  return {
    title: 'Strata report',
    subtitle: 'MNIST',
    runs: [
      { name: 'iwae-k5', description: 'IWAE, k = 5' },
      { name: HOSTILE, description: `described as ${HOSTILE}` },
    ],
    sections: [
      section('bounds', {
        figures: [
          { kind: 'svg', svg: SVG_WITH_CLIP, caption: `caption ${HOSTILE}` },
          { kind: 'png', png: tinyPng(), caption: 'filters', alt: `alt ${HOSTILE}` },
        ],
        tables: [{ caption: 'NLL', columns: ['run', 'NLL', 'units'], rows: [[HOSTILE, 86.7612, 3280], ['b', 84.5, 19]], decimals: [undefined, 2] }],
      }),
      section('active-units', { figures: [{ kind: 'svg', svg: SVG_WITH_CLIP, caption: 'second' }] }),
      section('empty'),
    ],
    ...extra,
  };
}

describe('renderHtml', () => {
  const html = renderHtml(page());

  it('is one complete document with inline CSS and nothing fetched', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toMatch(/<style>[^<]+<\/style>/);
    expect(html).not.toMatch(/<script|<link|@import|url\(\s*['"]?https?:|src="https?:|href="https?:/i);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('escapes every piece of user text', () => {
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('alt="alt &lt;script&gt;');
  });

  it('links every section from the table of contents', () => {
    const toc = html.slice(html.indexOf('<nav'), html.indexOf('</nav>'));
    for (const id of ['runs', 'bounds', 'active-units', 'empty']) {
      expect(toc).toContain(`href="#${id}"`);
      expect(html).toContain(`<section id="${id}">`);
    }
    expect(toc).toContain('>Title of bounds</a>');
  });

  it('inlines SVG figures with ids made unique per figure, and PNGs as data URIs', () => {
    expect(html).toContain('id="bounds-fig1-clip1"');
    expect(html).toContain('url(#bounds-fig1-clip1)');
    expect(html).toContain('id="active-units-fig1-clip1"');
    expect(html).not.toContain('id="clip1"');
    const uri = /<img src="data:image\/png;base64,([^"]+)" width="3" height="2"/.exec(html);
    expect(uri).not.toBeNull();
    expect(Buffer.from(uri![1]!, 'base64').equals(tinyPng())).toBe(true);
  });

  it('formats table numbers and right-aligns numeric columns', () => {
    expect(html).toContain('<td class="num">86.76</td>');
    expect(html).toContain('<td class="num">3,280</td>');
    expect(html).toContain('<th scope="col" class="num">NLL</th>');
    expect(html).toContain('<th scope="col">run</th>');
  });

  it('splits descriptions into paragraphs and says when a section is empty', () => {
    const text = renderHtml(page({ sections: [section('a', { description: 'one\nline\n\ntwo' })] }));
    expect(text).toContain('<div class="description"><p>one line</p><p>two</p></div>');
    expect(text).toContain('Nothing to show');
  });

  it('rejects section ids that cannot be anchors, clash with the page, or repeat', () => {
    expect(() => renderHtml(page({ sections: [section('has space')] }))).toThrow(/section id 'has space' must start with a letter/);
    expect(() => renderHtml(page({ sections: [section('runs')] }))).toThrow(/used by the page itself/);
    expect(() => renderHtml(page({ sections: [section('a'), section('a')] }))).toThrow(/used twice/);
  });

  it('rejects a png figure that is not a PNG', () => {
    const bad = section('a', { figures: [{ kind: 'png', png: Buffer.from('GIF89a...'), caption: '', alt: '' }] });
    expect(() => renderHtml(page({ sections: [bad] }))).toThrow(/does not hold PNG bytes/);
  });
});

describe('inlineSvg', () => {
  it('drops the XML prolog and leaves id-free SVG alone', () => {
    expect(inlineSvg('<?xml version="1.0"?>\n<svg width="1"></svg>', 'f')).toBe('<svg width="1"></svg>');
  });

  it('renames hrefs to local ids but not other links', () => {
    const svg = '<svg><linearGradient id="g"/><use href="#g"/><use xlink:href="#g"/><a href="#elsewhere"/></svg>';
    expect(inlineSvg(svg, 'p')).toBe('<svg><linearGradient id="p-g"/><use href="#p-g"/><use xlink:href="#p-g"/><a href="#elsewhere"/></svg>');
  });

  it('refuses scripts and event handlers but not text that mentions them', () => {
    expect(() => inlineSvg('<svg><script>x</script></svg>', 'f')).toThrow(/script/);
    expect(() => inlineSvg('<svg><rect onclick="x()"/></svg>', 'f')).toThrow(/event handler/);
    expect(() => inlineSvg('<div></div>', 'f')).toThrow(/not an SVG/);
    expect(inlineSvg('<svg><text aria-label="onset = 1">onset = 1</text></svg>', 'f')).toContain('onset = 1');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href='x'>"&"</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;');
  });
});
