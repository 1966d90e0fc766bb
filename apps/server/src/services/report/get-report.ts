/**
 * The reliability report: per field, the methods paragraph and the table row, built from
 * the reliability service's numbers (never recomputed here), the codebook version, and a
 * hash of the data and codebook (data-hash.ts).
 */
import { eq } from 'drizzle-orm';
import { projects } from '@concord/db';
import { CHART_IDS, type ChartData, type Report } from '@concord/shared';
import { AppError, notFound } from '../../errors.ts';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { codebookJson } from '../export/codebook-export.ts';
import { exportCodingsCsv } from '../export/codings-export.ts';
import { loadCoderLabels } from '../export/pseudonyms.ts';
import { getReliability } from '../reliability/get-reliability.ts';
import { getSpanReliability } from '../spans/span-reliability.ts';
import { chartData, loadChartSource, type ChartSource } from './chart-data.ts';
import { dataHash, hashCovers } from './data-hash.ts';
import { fieldParagraph, fieldRow, methodsStatement } from './methods-text.ts';
import { spanParagraph } from './span-text.ts';

export async function getReport({ ctx, projectId, query }: { ctx: ServiceContext; projectId: string; query: { bootstrap: number; seed: number } }): Promise<Report> {
  await authorize({ ctx, projectId, action: 'reliability.read' });
  const [project] = await ctx.db.select({ id: projects.id, name: projects.name }).from(projects).where(eq(projects.id, projectId));
  if (!project) throw notFound('project');
  const reliability = await getReliability({ ctx, projectId, query: {
    bootstrap: query.bootstrap,
    seed: query.seed,
    field: undefined,
    incident: undefined,
    round: undefined,
    coders: undefined,
    // The methods statement reports agreement among the coders who coded here, blind.
    includeImported: false,
  } });
  const spans = await getSpanReliability({ ctx, projectId, query: { bootstrap: query.bootstrap, seed: query.seed, field: undefined, incident: undefined, round: undefined, coders: undefined } });
  const codebook = await loadCodebook({ ctx, projectId });
  const longCsv = await exportCodingsCsv({ ctx, projectId, options: { layout: 'long' } });
  const labels = await loadCoderLabels({ ctx, projectId });
  return {
    project,
    codebook: { name: codebook.name, version: reliability.codebookVersion, codedUnder: reliability.codedUnderVersions },
    bootstrap: reliability.bootstrap,
    methods: methodsStatement({
      items: Math.max(0, ...reliability.fields.map((f) => f.n_units)),
      coders: reliability.coders.length,
      codebookName: codebook.name,
      codebookVersion: reliability.codebookVersion,
      codedUnder: reliability.codedUnderVersions,
      mixedFields: reliability.fields.filter((f) => f.mixed_versions).map((f) => f.label),
      bootstrap: reliability.bootstrap,
    }),
    coders: [...reliability.coders].sort((a, b) => labels.rank(a.id) - labels.rank(b.id)).map((c) => ({ label: labels.label(c.id) })),
    fields: reliability.fields.map((f) => ({ key: f.key, label: f.label, type: f.type, paragraph: fieldParagraph(f), row: fieldRow(f), reliability: f })),
    // The report names coders by pseudonym, never by id or email.
    spans: {
      ...spans,
      paragraph: spanParagraph(spans),
      fields: spans.fields.map((f) => ({ ...f, pairs: f.pairs.map((p) => ({ ...p, coders: [labels.label(p.coders[0]), labels.label(p.coders[1])] as [string, string] })) })),
    },
    hash: { algorithm: 'sha256', value: dataHash(longCsv, codebookJson(codebook)), covers: hashCovers(projectId, codebook.version) },
    exhibits: exhibitsOf(await loadChartSource({ ctx, projectId })),
  };
}

/** Every chart the codebook has fields for; one it lacks a field for is left out, as the report page leaves it. */
function exhibitsOf(source: ChartSource): ChartData[] {
  return CHART_IDS.flatMap((id) => {
    try {
      return [chartData(source, id, {})];
    } catch (err) {
      if (err instanceof AppError && err.code === 'VALIDATION_FAILED') return [];
      throw err;
    }
  });
}
