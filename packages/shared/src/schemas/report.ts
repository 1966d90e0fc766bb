/**
 * Reports and exports: the reliability report (methods paragraphs, tables, data hash),
 * the charts of the seed report, and the catalogue of export files.
 */
import { z } from 'zod';
import { text } from './common.ts';
import { FIELD_TYPES, fieldKeySchema } from './codebook.ts';
import { fieldReliabilitySchema, MAX_BOOTSTRAP_REPLICATES } from './review.ts';
import { spanReliabilitySchema } from './spans.ts';
import type { Action } from '../roles.ts';

export const reportQuery = z.object({
  /** json (default) or md, a Markdown file to download. */
  format: z.enum(['json', 'md']).default('json'),
  bootstrap: z.coerce.number().int().min(0).max(MAX_BOOTSTRAP_REPLICATES).default(1000),
  seed: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(1),
});
export type ReportQuery = z.infer<typeof reportQuery>;

export const reportFieldSchema = z.object({
  key: text(),
  label: text(),
  type: z.enum(FIELD_TYPES),
  /** The sentence to paste into a methods section; null for fields without a coefficient. */
  paragraph: text().nullable(),
  /** The table row, formatted (APA: no leading zero for coefficients). */
  row: z.object({
    coefficient: text(),
    value: text(),
    ci: text(),
    n: text(),
    coders: text(),
    missing: text(),
    pBelow800: text(),
  }),
  /** The numbers, exactly as `GET …/reliability` gives them. */
  reliability: fieldReliabilitySchema,
});
export type ReportField = z.infer<typeof reportFieldSchema>;

export const CHART_IDS = ['parent-frames', 'platforms', 'frames-by-incident', 'frames-table', 'impact-by-incident'] as const;
export type ChartId = (typeof CHART_IDS)[number];

export const chartParams = z.object({
  projectId: text().max(100),
  /** A chart id, with `.svg` for the drawing or `.csv` for the table instead of the data. */
  chart: text().regex(new RegExp(`^(${CHART_IDS.join('|')})(\\.svg|\\.csv)?$`), `one of ${CHART_IDS.join(', ')}, optionally with .svg or .csv`),
});
export const chartQuery = z.object({
  field: fieldKeySchema.optional(),
  /** Only the items of this incident (an incident id); any chart, Chart 3 above all. */
  incident: text().max(100).optional(),
});

/** How many items a chart (or one of its series) rests on: `total` = `counted` + `open` + `noValue`. */
export const chartItemsSchema = z.object({
  /** Items of the final dataset in the chart (or the series' incident). */
  total: z.number().int(),
  /** Items with a final value, counted in the bars. */
  counted: z.number().int(),
  /** Items still open: blind, or revealed without a majority or a decision. */
  open: z.number().int(),
  /** Items whose final value is N/A, empty or a decided "no value": final, but in no bar. */
  noValue: z.number().int(),
});
export type ChartItems = z.infer<typeof chartItemsSchema>;

export const chartDataSchema = z.object({
  chart: z.enum(CHART_IDS),
  title: text(),
  /** What is counted and how (the counting rule), also printed on the chart. */
  description: text(),
  /** The share still open, as one sentence (printed on the chart). */
  share: text(),
  fieldKey: text(),
  fieldLabel: text(),
  codebookVersion: z.number().int(),
  /** The incident the chart is limited to (`?incident=`), else null. */
  incident: z.object({ id: text(), name: text() }).nullable(),
  /** Bars (or table rows), in codebook order; `parent` is set for child frames in the table. */
  categories: z.array(z.object({ key: text(), label: text(), parent: text().nullable() })),
  /** One series (items) or one per incident; `values` follow `categories`; `items` is the series' own share. */
  series: z.array(z.object({ key: text(), label: text(), values: z.array(z.number().int()), items: chartItemsSchema })),
  items: chartItemsSchema,
});
export type ChartData = z.infer<typeof chartDataSchema>;

/** The counting rule every chart follows, stated on each chart. */
export const CHART_COUNTING_RULE =
  'Counted on the final dataset (export/final.csv): each item once per bar with its final value, an editor\'s decision where there is one, else the value its joint session agreed on in a production round, else the value more than half of its coders submitted (multiple choice: each option more than half selected) or its only coder\'s value. Items still open (blind, or no majority and no decision) are counted as open, not in a bar; N/A and "no value" count in no bar.';

export const reportSchema = z.object({
  project: z.object({ id: text(), name: text() }),
  /** The current version (whose definitions are applied) and the versions the used codings were made under. */
  codebook: z.object({ name: text(), version: z.number().int(), codedUnder: z.array(z.number().int()) }),
  bootstrap: z.object({ replicates: z.number().int(), seed: z.number().int() }),
  /** Stated once: what the data are, how the intervals were computed. */
  methods: text(),
  /** The coders as the exports name them: pseudonyms (C1, C2…) unless the project shows names. */
  coders: z.array(z.object({ label: text() })),
  fields: z.array(reportFieldSchema),
  /** Span agreement (unitizing alphas) per taggable field; pairs name coders by pseudonym. */
  spans: spanReliabilitySchema.extend({ paragraph: text() }),
  /** The seed report's exhibits on the final dataset, those the codebook has fields for (`GET …/charts/:chart`). */
  exhibits: z.array(chartDataSchema),
  hash: z.object({
    algorithm: z.literal('sha256'),
    value: text(),
    /** How to recompute it from the exports. */
    covers: text(),
  }),
});
export type Report = z.infer<typeof reportSchema>;

export interface ExportFile {
  id: string;
  /** Path under /api/projects/:id/. */
  path: string;
  label: string;
  /** The file needs ?field=KEY (one field per file). */
  perField: boolean;
  /** Field types the export can lay out (per-field exports). */
  fieldTypes?: readonly (typeof FIELD_TYPES)[number][];
  /** The action it needs beyond `export.read` (the page lists it only for roles that have it). */
  action?: Action;
}

const SINGLE_VALUED = ['single_choice', 'ordinal', 'number'] as const;

/** Every download of the report page, in one place (the server documents the same routes). */
export const EXPORT_FILES: readonly ExportFile[] = [
  { id: 'final-csv', path: 'export/final.csv', label: 'Final dataset (a row per item: final values and their provenance)', perField: false },
  { id: 'final-xlsx', path: 'export/final.xlsx', label: 'Final dataset (Excel)', perField: false },
  { id: 'final-json', path: 'export/final.json', label: 'Final dataset (JSON)', perField: false },
  { id: 'codings-long', path: 'export/codings.csv?layout=long', label: 'Codings, long (unit, coder, field, value, item columns)', perField: false },
  { id: 'codings-xlsx', path: 'export/codings.xlsx', label: 'Codings, long (Excel)', perField: false },
  { id: 'spans', path: 'export/spans.csv', label: 'Span tags (item, external id, coder, field, frame, start, end, text): the coders’ own tags of revealed items', perField: false },
  { id: 'codings-wide', path: 'export/codings.csv?layout=wide', label: 'Codings, wide (item columns, a column per coder)', perField: true },
  { id: 'items', path: 'export/items.csv', label: 'Items (external id, title, incidents, platform, date, link): goes with the R and SPSS files', perField: false },
  { id: 'irr', path: 'export/irr.csv', label: 'R irr (units x coders, numeric codes)', perField: true, fieldTypes: SINGLE_VALUED },
  { id: 'krippendorffsalpha', path: 'export/krippendorffsalpha.csv', label: 'R krippendorffsalpha (units x coders, numeric codes)', perField: true, fieldTypes: SINGLE_VALUED },
  { id: 'tidycomm', path: 'export/tidycomm.csv', label: 'R tidycomm (unit, coder, a column per field)', perField: false },
  { id: 'spss-kalpha-data', path: 'export/spss-kalpha.csv', label: 'SPSS KALPHA data (units x coders, numeric codes)', perField: true, fieldTypes: SINGLE_VALUED },
  { id: 'spss-kalpha-syntax', path: 'export/spss-kalpha.sps', label: 'SPSS KALPHA syntax (value labels, KALPHA call)', perField: true, fieldTypes: SINGLE_VALUED },
  { id: 'gold-long', path: 'export/gold.csv?layout=long', label: 'Gold dataset, long (final values with provenance; decisions with rationale)', perField: false },
  { id: 'codebook-json', path: 'export/codebook.json', label: 'Codebook (JSON)', perField: false },
  { id: 'codebook-csv', path: 'export/codebook.csv', label: 'Codebook (CSV, one row per option)', perField: false },
  { id: 'codebook-qdc', path: 'export/codebook.qdc', label: 'Codebook (REFI-QDA .qdc for ATLAS.ti, MAXQDA, NVivo, QualCoder)', perField: false },
  { id: 'discussion-csv', path: 'export/discussion.csv', label: 'Discussion and decisions (CSV)', perField: false },
  { id: 'discussion-json', path: 'export/discussion.json', label: 'Discussion and decisions (JSON)', perField: false },
  { id: 'coder-key', path: 'export/coder-key.csv', label: 'Key to the coder pseudonyms (C1, C2…): owners only', perField: false, action: 'export.key' },
];

export const discussionEntrySchema = z.object({
  /** comment, or a decision step: decide, revise, reopen. */
  kind: z.enum(['comment', 'decide', 'revise', 'reopen']),
  itemId: text(),
  externalId: text().nullable(),
  itemTitle: text(),
  fieldKey: text().nullable(),
  at: text(),
  byEmail: text().nullable(),
  byName: text().nullable(),
  /** The comment, or the decision's rationale. */
  text: text(),
  /** The decided value as exported (formatValue); null for comments. */
  value: text().nullable(),
  /** The decision's status after this step; null for comments. */
  status: text().nullable(),
});
export type DiscussionEntry = z.infer<typeof discussionEntrySchema>;
export const discussionExportSchema = z.object({ entries: z.array(discussionEntrySchema) });

export const perFieldExportQuery = z.object({ field: fieldKeySchema });
