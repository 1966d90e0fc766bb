import { describe, expect, it } from 'vitest';
import type { ChartData } from '@concord/shared';
import { chartFileHref, chartIncidents, type LoadedChart } from './report-charts.ts';

const items = { total: 15, counted: 12, open: 3, noValue: 0 };
const chart3 = (series: { key: string; label: string }[]): LoadedChart => ({
  id: 'frames-by-incident',
  incident: null,
  svg: '<svg/>',
  error: null,
  data: {
    chart: 'frames-by-incident',
    title: 'Chart 3: Narrative frames per incident',
    description: 'Items per narrative frame and incident.',
    share: '12 of 15 items counted; 3 (20%) still open.',
    fieldKey: 'narrative_frames',
    fieldLabel: 'Narrative frames',
    codebookVersion: 1,
    incident: null,
    categories: [{ key: 'speech_criminalised', label: 'Speech is criminalised', parent: 'digital_repression' }],
    series: series.map((s) => ({ ...s, values: [1], items })),
    items,
  } satisfies ChartData,
});

describe('chartFileHref', () => {
  it('names the whole chart, or one incident with its id encoded', () => {
    expect(chartFileHref('prj_1', 'parent-frames', 'svg', null)).toBe('/api/projects/prj_1/charts/parent-frames.svg');
    expect(chartFileHref('prj_1', 'frames-by-incident', 'csv', 'inc_a&b')).toBe('/api/projects/prj_1/charts/frames-by-incident.csv?incident=inc_a%26b');
  });
});

describe('chartIncidents', () => {
  it("offers Chart 3's incidents, not its 'No incident' series", () => {
    const chart = chart3([
      { key: 'inc_a', label: 'Arrest' },
      { key: 'inc_b', label: 'Election' },
      { key: 'none', label: 'No incident' },
    ]);
    expect(chartIncidents(chart)).toEqual([
      { id: 'inc_a', name: 'Arrest' },
      { id: 'inc_b', name: 'Election' },
    ]);
  });

  it('offers none when the chart could not be loaded', () => {
    expect(chartIncidents(undefined)).toEqual([]);
    expect(chartIncidents({ id: 'frames-by-incident', incident: null, svg: null, data: null, error: 'no field' })).toEqual([]);
  });
});
