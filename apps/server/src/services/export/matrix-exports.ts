/**
 * Units x coders matrices of numeric codes (see codes.ts) for R and SPSS:
 * - R irr: `d <- read.csv("irr-KEY.csv"); irr::kripp.alpha(t(as.matrix(d[, -1])), method = "ordinal")`
 *   (kripp.alpha wants coders in rows, hence t(); kappam.fleiss, agree and icc take it as is);
 * - R krippendorffsalpha: the same file, `krippendorffs.alpha(as.matrix(d[, -1]), level = "ordinal")`;
 * - SPSS KALPHA (Hayes & Krippendorff 2007): the matrix with coders as c1..cN and an empty
 *   cell for missing, plus a syntax file that reads it, labels coders and values, and calls KALPHA.
 * Missing is `NA` in the R files (read.csv's default) and empty in the SPSS file. Their
 * readers take every column after `unit` as a coder, so the items' columns come in the
 * companion `items.csv` (item-meta.ts), which the SPSS syntax matches in by `unit`.
 */
import { ITEM_EXPORT_COLUMNS, measurementLevel, type FieldDefinition, type MeasurementLevel } from '@concord/shared';
import type { ServiceContext } from '../context.ts';
import type { FieldMatrix } from '../reliability/field-matrix.ts';
import { assertNumericField, codeTable, numericCode } from './codes.ts';
import { csvTable, type CsvText } from './csv.ts';
import { loadFieldExport } from './field-data.ts';

function matrixCsv(field: FieldDefinition, m: FieldMatrix, header: string[], missing: string): CsvText {
  const rows = m.units.map((unit, u) => [
    unit,
    ...m.coders.map((_, c) => {
      const code = numericCode(field, m.cells[u * m.coders.length + c]);
      return code === null ? missing : String(code);
    }),
  ]);
  return csvTable(['unit', ...header], rows);
}

/** R irr and krippendorffsalpha: the same matrix (units in rows, a column per coder pseudonym). */
export async function exportRMatrixCsv({ ctx, projectId, fieldKey }: { ctx: ServiceContext; projectId: string; fieldKey: string }): Promise<CsvText> {
  const { field, matrix } = await loadFieldExport({ ctx, projectId, fieldKey });
  assertNumericField(field);
  return matrixCsv(field, matrix, matrix.coders, 'NA');
}

const spssVar = (i: number) => `c${i + 1}`;

/** The companion file's columns as SPSS reads them: format and label, by column. */
const ITEM_SPSS: Record<(typeof ITEM_EXPORT_COLUMNS)[number], readonly [string, string]> = {
  external_id: ['A255', 'External id'],
  title: ['A1024', 'Title'],
  incidents: ['A1024', 'Incidents (| between several)'],
  platform: ['A32', 'Platform'],
  published_at: ['A32', 'Published at (UTC, ISO 8601)'],
  url: ['A2048', 'Link'],
};
const ITEM_SPSS_VARIABLES = ITEM_EXPORT_COLUMNS.map((name) => [name, ...ITEM_SPSS[name]] as const);

export async function exportSpssKalphaCsv({ ctx, projectId, fieldKey }: { ctx: ServiceContext; projectId: string; fieldKey: string }): Promise<CsvText> {
  const { field, matrix } = await loadFieldExport({ ctx, projectId, fieldKey });
  assertNumericField(field);
  return matrixCsv(field, matrix, matrix.coders.map((_, i) => spssVar(i)), '');
}

/**
 * User text in the syntax stays on its line: SPSS ends a comment or a command line at a line
 * break, and the next line may be a command of the label's choosing (`HOST COMMAND=...`).
 * Control and line-separator characters become spaces; quotes in strings are doubled.
 */
const spssLine = (s: string) => s.replace(/[\p{Cc}\u2028\u2029]/gu, ' ');
const spssString = (s: string) => `'${spssLine(s).replace(/'/g, "''")}'`;

/** KALPHA's level (Hayes & Krippendorff 2007): 1 nominal, 2 ordinal, 3 interval, 4 ratio; the field's measurement level decides. */
const KALPHA_LEVEL: Record<MeasurementLevel, number> = { nominal: 1, ordinal: 2, interval: 3, ratio: 4 };

export async function exportSpssKalphaSyntax({ ctx, projectId, fieldKey, bootstrap = 1000 }: { ctx: ServiceContext; projectId: string; fieldKey: string; bootstrap?: number }): Promise<string> {
  const { field, matrix, codebookVersion } = await loadFieldExport({ ctx, projectId, fieldKey });
  assertNumericField(field);
  const vars = matrix.coders.map((_, i) => spssVar(i));
  const format = field.type === 'number' && !field.integer ? 'F12.4' : 'F8.0';
  const measured = measurementLevel(field);
  const level = KALPHA_LEVEL[measured.level ?? 'nominal'];
  const lines = [
    `* Concord: Krippendorff's alpha for field "${field.key}" (${spssLine(field.label)}), codebook version ${codebookVersion}.`,
    ...(measured.source === 'codebook' ? [`* The codebook treats this ${field.type} field as ${measured.level}: ${spssLine(measured.reason ?? '').replace(/[.\s]+$/, '')}.`] : []),
    `* Data: spss-kalpha-${field.key}.csv (submitted codings of revealed items; units in rows, coders in columns; empty = missing).`,
    '* First run the KALPHA macro (kalpha.sps, A. F. Hayes: https://afhayes.com) in this session.',
    `GET DATA /TYPE=TXT /FILE='spss-kalpha-${field.key}.csv' /ENCODING='UTF8' /DELCASE=LINE /DELIMITERS=',' /QUALIFIER='"'`,
    `  /ARRANGEMENT=DELIMITED /FIRSTCASE=2 /VARIABLES=unit A64 ${vars.map((v) => `${v} ${format}`).join(' ')}.`,
    'SORT CASES BY unit.',
    'DATASET NAME concord.',
    `* The items' columns: items.csv, matched in by unit.`,
    `GET DATA /TYPE=TXT /FILE='items.csv' /ENCODING='UTF8' /DELCASE=LINE /DELIMITERS=',' /QUALIFIER='"'`,
    `  /ARRANGEMENT=DELIMITED /FIRSTCASE=2 /VARIABLES=unit A64 ${ITEM_SPSS_VARIABLES.map(([name, format]) => `${name} ${format}`).join(' ')} phase A16.`,
    'SORT CASES BY unit.',
    'DATASET NAME items.',
    'DATASET ACTIVATE concord.',
    'MATCH FILES /FILE=* /TABLE=items /BY unit.',
    'DATASET NAME concord.',
    `VARIABLE LABELS unit 'Concord item id' ${ITEM_SPSS_VARIABLES.map(([name, , label]) => `${name} ${spssString(label)}`).join(' ')}.`,
  ];
  if (vars.length) {
    lines.push(`VARIABLE LABELS ${matrix.coders.map((coder, i) => `${vars[i]} ${spssString(coder)}`).join('\n  ')}.`);
    const codes = codeTable(field);
    if (codes.length) lines.push(`VALUE LABELS ${vars.join(' ')}\n  ${codes.map((c) => `${c.code} ${spssString(c.label)}`).join('\n  ')}.`);
    lines.push(`KALPHA judges = ${vars.join(' ')}/level = ${level}/detail = 0/boot = ${bootstrap}.`);
  } else lines.push('* No submitted codings of revealed items yet: nothing to compute.');
  return `${lines.join('\n')}\n`;
}
