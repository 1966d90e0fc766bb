import type { AuditFilter } from '@concord/shared';
import type { ServiceContext } from '../context.ts';
import { csvTable, type CsvText } from '../export/csv.ts';
import { allAudit } from './list-audit.ts';

const HEADER = ['at', 'actor', 'actor_id', 'entity', 'entity_id', 'action', 'summary', 'before', 'after', 'redacted'];

/** The audit with the list's filters as CSV, through the one CSV writer (formula neutralisation). */
export async function exportAuditCsv({ ctx, projectId, filter }: { ctx: ServiceContext; projectId: string; filter: AuditFilter }): Promise<CsvText> {
  const rows: string[][] = [];
  for await (const e of allAudit({ ctx, projectId, filter })) {
    const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));
    rows.push([e.at, e.actorName ?? '', e.actorId ?? '', e.entity, e.entityId, e.action, e.summary, json(e.before), json(e.after), e.redacted ? 'yes' : 'no']);
  }
  return csvTable(HEADER, rows);
}
