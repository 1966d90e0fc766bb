/**
 * The incident form's values as the API takes them, checked with the shared `incidentInput`
 * (the server's own schema) before anything is sent. Tags are typed comma-separated.
 */
import { incidentInput, type Incident, type IncidentInput } from '@concord/shared';

export interface IncidentFormValues {
  name: string;
  description: string;
  country: string;
  startDate: string;
  endDate: string;
  tags: string;
}

export function incidentFormValuesOf(incident: Incident | null): IncidentFormValues {
  return {
    name: incident?.name ?? '',
    description: incident?.description ?? '',
    country: incident?.country ?? '',
    startDate: incident?.startDate ?? '',
    endDate: incident?.endDate ?? '',
    tags: incident?.tags.join(', ') ?? '',
  };
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** The checked input (every field named, so an edit sends the whole record), or each field's problem. */
export function checkIncidentForm(values: IncidentFormValues): { input: Required<IncidentInput> } | { errors: Record<string, string> } {
  const raw = {
    name: values.name,
    description: values.description,
    country: orNull(values.country),
    startDate: orNull(values.startDate),
    endDate: orNull(values.endDate),
    tags: [...new Set(values.tags.split(',').map((t) => t.trim()).filter(Boolean))],
  };
  const errors: Record<string, string> = {};
  const parsed = incidentInput.safeParse(raw);
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  // The server says the same (a 400 on endDate); said here, before sending.
  if (raw.startDate && raw.endDate && raw.endDate < raw.startDate) errors.endDate ??= 'the end date comes before the start date';
  if (Object.keys(errors).length || !parsed.success) return { errors };
  return { input: parsed.data as Required<IncidentInput> };
}
