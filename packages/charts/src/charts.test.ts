import { describe, expect, it } from 'vitest';
import { barChart, escapeXml, tableChart, wrapLabel } from './index.ts';
import { assertWellFormed, barValues, shareText } from './test-helpers.ts';

const accessible = (svg: string) => {
  expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="([\w-]+-title) ([\w-]+-desc)"/);
  const [, t, d] = /aria-labelledby="([\w-]+) ([\w-]+)"/.exec(svg)!;
  expect(svg).toContain(`<title id="${t}">`);
  expect(svg).toContain(`<desc id="${d}">`);
};

describe('barChart', () => {
  it('draws one bar per category with its number as text', () => {
    const svg = barChart({ title: 'Parent frames', description: 'Items per parent frame', categories: ['A', 'B', 'C'], series: [{ name: 'Items', values: [3, 0, 12] }] });
    assertWellFormed(svg);
    accessible(svg);
    expect(barValues(svg)).toEqual([
      { category: 'A', series: 'Items', value: 3, text: 3 },
      { category: 'B', series: 'Items', value: 0, text: 0 },
      { category: 'C', series: 'Items', value: 12, text: 12 },
    ]);
    // Widths are proportional: the largest bar is the full plot width, zero is empty.
    const widths = [...svg.matchAll(/<rect x="\d+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths[1]).toBe(0);
    expect(widths[0]! / widths[2]!).toBeCloseTo(3 / 12, 2);
  });

  it('groups series per category, with a legend', () => {
    const svg = barChart({
      title: 'Frames per incident',
      description: 'd',
      categories: ['x', 'y'],
      series: [
        { name: 'Arrest', values: [1, 2] },
        { name: 'Election', values: [4, 0] },
      ],
    });
    assertWellFormed(svg);
    expect(barValues(svg).map((b) => `${b.category}/${b.series}=${b.text}`)).toEqual(['x/Arrest=1', 'x/Election=4', 'y/Arrest=2', 'y/Election=0']);
    expect(svg).toContain('class="legend"');
    expect(svg).toContain('>Election<title>Election</title>');
  });

  it('escapes labels with <, &, quotes in text and attributes', () => {
    const nasty = `<script>alert("x")</script> & 'Tom's' "frames"`;
    const svg = barChart({ title: `A & B <c>`, description: `"desc" & 'more'`, categories: [nasty], series: [{ name: `S & "T"`, values: [2] }] });
    assertWellFormed(svg);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('A &amp; B &lt;c&gt;');
    expect(barValues(svg)).toEqual([{ category: nasty, series: `S & "T"`, value: 2, text: 2 }]);
  });

  it('renders empty data as an accessible chart that says so', () => {
    const svg = barChart({ title: 'Nothing yet', description: 'No revealed items', categories: [], series: [] });
    assertWellFormed(svg);
    accessible(svg);
    expect(svg).toContain('No data to show.');
    expect(barValues(svg)).toEqual([]);
  });

  it('wraps long labels onto at most three lines, keeping the whole label in the bar title', () => {
    const long = 'National security trumps human rights and every other consideration in the country, as the state media said repeatedly';
    const svg = barChart({ title: 't', description: 'd', categories: [long], series: [{ name: 'Items', values: [5] }] });
    assertWellFormed(svg);
    const label = /<text x="250" y="[\d.]+" text-anchor="end" class="label">(.*?)<\/text>/.exec(svg)![1]!;
    const lines = [...label.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]!);
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => l.length <= 38)).toBe(true);
    expect(lines[2]!.endsWith('…')).toBe(true);
    expect(svg).toContain(`<title>${long}: 5</title>`);
  });

  it('refuses values that do not match the categories, and negative values', () => {
    expect(() => barChart({ title: 't', description: 'd', categories: ['a'], series: [{ name: 's', values: [1, 2] }] })).toThrow(/one value per category/);
    expect(() => barChart({ title: 't', description: 'd', categories: ['a'], series: [{ name: 's', values: [-1] }] })).toThrow(/>= 0/);
  });
});

describe('tableChart', () => {
  it('lays out rows with their cells, escaped, indented children under parents', () => {
    const svg = tableChart({
      title: 'Table 1: Narrative frames',
      description: 'Parent and child frames with item counts',
      columns: ['Narrative frame', 'Items'],
      rows: [
        { cells: ['Security & <order>', '7'], strong: true },
        { cells: ['Protesters are "terrorists"', '4'], indent: 1 },
      ],
    });
    assertWellFormed(svg);
    accessible(svg);
    const rows = [...svg.matchAll(/<g class="row"[^>]* data-cells="([^"]*)">/g)].map((m) => JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as string[]);
    expect(rows).toEqual([
      ['Security & <order>', '7'],
      ['Protesters are "terrorists"', '4'],
    ]);
    expect(svg).toContain('Security &amp; &lt;order&gt;');
  });

  it('says so when there are no rows', () => {
    const svg = tableChart({ title: 't', description: 'd', columns: ['a', 'b'], rows: [] });
    assertWellFormed(svg);
    expect(svg).toContain('No data to show.');
  });
});

describe('share line', () => {
  it('prints the share under the note of a bar chart and of a table, escaped, and is absent when not given', () => {
    const share = '23 of 30 items counted; 7 (23%) still open & <unseen>.';
    for (const svg of [
      barChart({ title: 't', description: 'd', categories: ['a'], series: [{ name: 's', values: [1] }], share }),
      tableChart({ title: 't', description: 'd', columns: ['a', 'b'], rows: [{ cells: ['x', '1'] }], share }),
    ]) {
      assertWellFormed(svg);
      expect(shareText(svg)).toBe(share);
      expect(svg).toContain('&amp; &lt;unseen&gt;');
    }
    expect(shareText(barChart({ title: 't', description: 'd', categories: ['a'], series: [{ name: 's', values: [1] }] }))).toBeNull();
  });

  it('keeps the bars below the share line', () => {
    const svg = barChart({ title: 't', description: 'd', categories: ['a'], series: [{ name: 's', values: [1] }], share: 'one of one counted' });
    const shareY = Number(/<text x="12" y="([\d.]+)" font-weight="600" class="share">/.exec(svg)![1]);
    const barY = Number(/<rect x="\d+" y="([\d.]+)" width="[\d.]+" height="14"/.exec(svg)![1]);
    expect(barY).toBeGreaterThan(shareY);
  });
});

describe('helpers', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">Tom's & co</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom&apos;s &amp; co&lt;/a&gt;');
  });
  it('splits words longer than a line', () => {
    expect(wrapLabel('abcdefghij', 4, 5)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapLabel('', 4, 2)).toEqual([]);
  });
});
