import { PHASES, type Phase } from '@concord/shared';

export const PAGE_SIZE = 50;

/** The item list's filters as they appear in the page URL (?incident=&phase=&q=&page=). */
export interface ItemFilters {
  incident: string;
  phase: Phase | '';
  q: string;
  page: number;
}

function isPhase(value: string): value is Phase {
  return (PHASES as readonly string[]).includes(value);
}

/** Reads the filters from URL search params; invalid values fall back to "no filter" and page 1. */
export function parseItemFilters(params: URLSearchParams): ItemFilters {
  const phase = params.get('phase') ?? '';
  const page = Number(params.get('page') ?? '1');
  return {
    incident: params.get('incident')?.trim() ?? '',
    phase: isPhase(phase) ? phase : '',
    q: params.get('q')?.trim().slice(0, 200) ?? '',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The query for GET /api/projects/:projectId/items; empty filters are left out. */
export function itemsApiQuery(filters: ItemFilters): Record<string, string> {
  const query: Record<string, string> = {
    limit: String(PAGE_SIZE),
    offset: String((filters.page - 1) * PAGE_SIZE),
  };
  if (filters.incident) query.incident = filters.incident;
  if (filters.phase) query.phase = filters.phase;
  if (filters.q) query.q = filters.q;
  return query;
}

/** The page URL's search string for these filters, e.g. `?phase=joint&page=2` (or '' for none). */
export function filtersSearch(filters: ItemFilters): string {
  const params = new URLSearchParams();
  if (filters.incident) params.set('incident', filters.incident);
  if (filters.phase) params.set('phase', filters.phase);
  if (filters.q) params.set('q', filters.q);
  if (filters.page > 1) params.set('page', String(filters.page));
  const search = params.toString();
  return search ? `?${search}` : '';
}

export interface PageInfo {
  page: number;
  pageCount: number;
  /** 1-based index of the first row shown, 0 when there are none. */
  from: number;
  to: number;
}

export function pageInfo(total: number, page: number, pageSize = PAGE_SIZE): PageInfo {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const from = (page - 1) * pageSize + 1;
  if (from > total) return { page, pageCount, from: 0, to: 0 };
  return { page, pageCount, from, to: Math.min(total, page * pageSize) };
}
