/**
 * Pure helpers of the narrative workbench page: its filters in the URL, the API query and the
 * export links they make, and the grouping per frame or incident (the shared rule the Markdown
 * export uses too, so the page and the file gather the same items).
 */
import { groupWorkbench, type WorkbenchGroup, type WorkbenchGrouping, type Workbench } from '@concord/shared';

export { groupWorkbench, type WorkbenchGroup, type WorkbenchGrouping };

/** Items per page: each carries its values, translation and passages. */
export const WORKBENCH_PAGE_ITEMS = 25;

/** The filters as the page URL holds them (?by=&field=&frame=&incident=&page=). */
export interface WorkbenchFilters {
  by: WorkbenchGrouping;
  field: string;
  frame: string;
  incident: string;
  /** 1-based page of items. */
  page: number;
}

export function parseWorkbenchFilters(params: URLSearchParams): WorkbenchFilters {
  return {
    by: params.get('by') === 'incident' ? 'incident' : 'frame',
    field: params.get('field')?.trim() ?? '',
    frame: params.get('frame')?.trim() ?? '',
    incident: params.get('incident')?.trim() ?? '',
    page: Math.max(1, Math.floor(Number(params.get('page'))) || 1),
  };
}

/** The filters the API and the exports take; empty ones left out. */
function apiFilters(filters: WorkbenchFilters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.field) query.field = filters.field;
  if (filters.frame) query.frame = filters.frame;
  if (filters.incident) query.incident = filters.incident;
  return query;
}

/** The query for GET /api/projects/:projectId/workbench: the filters and the page. */
export function workbenchApiQuery(filters: WorkbenchFilters): Record<string, string> {
  return { ...apiFilters(filters), limit: String(WORKBENCH_PAGE_ITEMS), offset: String((filters.page - 1) * WORKBENCH_PAGE_ITEMS) };
}

/** The export's URL under the page's filters (every page, not just this one). */
export function workbenchExportHref(projectId: string, file: 'workbench.md' | 'workbench.csv', filters: WorkbenchFilters, bom = false): string {
  const query = new URLSearchParams(apiFilters(filters));
  if (bom) query.set('bom', '1');
  const search = query.toString();
  return `/api/projects/${projectId}/${file}${search ? `?${search}` : ''}`;
}

/** How many groups and entries the page shows, for its status line ("3 frames, 7 entries"). */
export function groupCounts(groups: readonly WorkbenchGroup[]): { groups: number; entries: number; passages: number } {
  return {
    groups: groups.length,
    entries: groups.reduce((n, g) => n + g.entries.length, 0),
    passages: groups.reduce((n, g) => n + g.entries.reduce((m, e) => m + e.passages.length, 0), 0),
  };
}

/** The grouped page for the chosen grouping. */
export function workbenchGroups(data: Pick<Workbench, 'frameField' | 'frames' | 'incidents' | 'items'>, by: WorkbenchGrouping): WorkbenchGroup[] {
  return groupWorkbench(data, by);
}
