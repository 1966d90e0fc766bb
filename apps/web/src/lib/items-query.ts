import { PHASES, PLATFORMS, type Phase, type Platform } from '@concord/shared';

/** The items table's filters as they appear in the page URL (?incident=&platform=&phase=&coder=&q=). */
export interface ItemFilters {
  incident: string;
  platform: Platform | '';
  phase: Phase | '';
  coder: string;
  q: string;
}

export const NO_FILTERS: ItemFilters = { incident: '', platform: '', phase: '', coder: '', q: '' };

const isOneOf =
  <T extends string>(values: readonly T[]) =>
  (value: string): value is T =>
    (values as readonly string[]).includes(value);
const isPhase = isOneOf(PHASES);
const isPlatform = isOneOf(PLATFORMS);

/** Reads the filters from URL search params; invalid values fall back to "no filter". */
export function parseItemFilters(params: URLSearchParams): ItemFilters {
  const phase = params.get('phase') ?? '';
  const platform = params.get('platform') ?? '';
  return {
    incident: params.get('incident')?.trim().slice(0, 100) ?? '',
    platform: isPlatform(platform) ? platform : '',
    phase: isPhase(phase) ? phase : '',
    coder: params.get('coder')?.trim().slice(0, 100) ?? '',
    q: params.get('q')?.trim().slice(0, 200) ?? '',
  };
}

export type ItemsApiQuery = { [K in keyof ItemFilters]?: Exclude<ItemFilters[K], ''> };

/** The query for GET /api/projects/:projectId/item-rows (and the paged item list); empty filters are left out. */
export function itemsApiQuery(filters: ItemFilters): ItemsApiQuery {
  const query: ItemsApiQuery = {};
  if (filters.incident) query.incident = filters.incident;
  if (filters.platform) query.platform = filters.platform;
  if (filters.phase) query.phase = filters.phase;
  if (filters.coder) query.coder = filters.coder;
  if (filters.q) query.q = filters.q;
  return query;
}

/** The page URL's search string for these filters, e.g. `?phase=joint` (or '' for none). */
export function filtersSearch(filters: ItemFilters): string {
  const search = new URLSearchParams(itemsApiQuery(filters) as Record<string, string>).toString();
  return search ? `?${search}` : '';
}

export function isFiltered(filters: ItemFilters): boolean {
  return filtersSearch(filters) !== '';
}
