/**
 * The narrative workbench's rules that the server (Markdown export) and the web page share:
 * how a final value reads, which frames count as a frame (its child frames too), and the
 * grouping per frame and per incident, so the file and the page gather the same items.
 */
import type { FieldDefinition } from './schemas/codebook.ts';
import type { Workbench, WorkbenchFrame, WorkbenchItem, WorkbenchPassage } from './schemas/workbench.ts';
import { isNa, type CodingValue } from './values.ts';

/** What is written where a value is not final (not revealed, coders differ undecided, nobody coded). */
export const OPEN_TEXT = 'open';

/** A final value as a reader reads it: option labels, "Harmful (-1)", N/A; `actors`' names for link fields. */
export function valueText(field: FieldDefinition, value: CodingValue | null, actors?: readonly { name: string }[]): string {
  if (value === null) return '';
  if (isNa(value)) return 'N/A';
  if (field.type === 'link') return (actors ?? []).map((a) => a.name).join('; ');
  if (field.type === 'single_choice' || field.type === 'multiple_choice') {
    const labels = new Map(field.options.map((o) => [o.value, o.label]));
    const values = Array.isArray(value) ? value : [value];
    return values.map((v) => labels.get(String(v)) ?? String(v)).join('; ');
  }
  if (field.type === 'ordinal') {
    // The label first: a cell that began with "-" would be taken for a formula (and quoted) by the CSV writer.
    const label = field.scale.find((p) => p.value === value)?.label;
    return label && label !== String(value) ? `${label} (${String(value)})` : String(value);
  }
  return String(value);
}

/** The frame and every frame under it (children, grandchildren…), for filters: a parent frame gathers its children. */
export function frameFamily(frames: readonly Pick<WorkbenchFrame, 'value' | 'parent'>[], frame: string): Set<string> {
  const family = new Set([frame]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of frames) {
      if (f.parent !== null && family.has(f.parent) && !family.has(f.value)) {
        family.add(f.value);
        grew = true;
      }
    }
  }
  return family;
}

export interface WorkbenchEntry {
  item: WorkbenchItem;
  /** The passages that belong under this group (a frame group: that frame's). */
  passages: WorkbenchPassage[];
}

export interface WorkbenchGroup {
  /** The frame value or incident id; '' for the items without one. */
  key: string;
  label: string;
  entries: WorkbenchEntry[];
}

export type WorkbenchGrouping = 'frame' | 'incident';

export const NO_FRAME_LABEL = 'No frame (open or none)';
export const NO_INCIDENT_LABEL = 'No incident';

/**
 * The items per frame (codebook order) or per incident (the project's order), then a group of
 * the items without one; empty groups are left out. An item is under a frame when its final
 * value has it or one of its passages is tagged with it, there with that frame's passages; it is
 * under each of its frames and incidents. Items keep their order inside a group.
 */
export function groupWorkbench(data: Pick<Workbench, 'frameField' | 'frames' | 'incidents' | 'items'>, by: WorkbenchGrouping): WorkbenchGroup[] {
  const groups: WorkbenchGroup[] = [];
  if (by === 'frame') {
    const field = data.frameField?.key;
    const framePassages = (item: WorkbenchItem, frame: string) => item.passages.filter((p) => p.fieldKey === field && p.frame === frame);
    for (const frame of data.frames) {
      const entries = data.items.flatMap((item) => {
        const passages = framePassages(item, frame.value);
        return item.frames.includes(frame.value) || passages.length ? [{ item, passages }] : [];
      });
      if (entries.length) groups.push({ key: frame.value, label: frame.label, entries });
    }
    const known = new Set(data.frames.map((f) => f.value));
    const rest = data.items.filter((item) => !item.frames.some((f) => known.has(f)) && !item.passages.some((p) => p.fieldKey === field && known.has(p.frame)));
    if (rest.length) groups.push({ key: '', label: NO_FRAME_LABEL, entries: rest.map((item) => ({ item, passages: item.passages })) });
    return groups;
  }
  for (const incident of data.incidents) {
    const entries = data.items.filter((item) => item.incidents.some((i) => i.id === incident.id)).map((item) => ({ item, passages: item.passages }));
    if (entries.length) groups.push({ key: incident.id, label: incident.name, entries });
  }
  const rest = data.items.filter((item) => item.incidents.length === 0);
  if (rest.length) groups.push({ key: '', label: NO_INCIDENT_LABEL, entries: rest.map((item) => ({ item, passages: item.passages })) });
  return groups;
}

/** How a passage is cited: `"text" (KZ-007, "Title")`, the external id when there is one, else the title alone. */
export function passageReference(item: Pick<WorkbenchItem, 'externalId' | 'title'>): string {
  return item.externalId ? `${item.externalId}, "${item.title}"` : `"${item.title}"`;
}
