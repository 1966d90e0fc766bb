/**
 * Importing a REFI-QDA codebook (`.qdc`) as the next codebook version.
 *
 * A top-level code with child codes is a field, its children the options (deeper codes are
 * child options: `parent`). A top-level code that matches a current field (same label, or
 * the same key once slugged) keeps that field's key, type and settings, and options keep
 * their values where the label matches, so codings stay attached; other top-level codes
 * with children become new multiple-choice fields (a QDA code may be applied any number of
 * times). Codable top-level codes without children (a flat codebook) are gathered as the
 * options of one field, "Codes". Fields the file does not mention are kept unchanged.
 * Nothing is saved unless the whole file is valid.
 */
import { codebookInput, keyFromLabel, type CodebookQdcImportInput, type FieldDefinition, type FieldOption } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook, mutateCodebook } from './codebook.ts';
import type { QdcCode } from './qdc-format.ts';
import { parseQdc } from './qdc-parse.ts';

/** A key or value from a label, unique among (and added to) `taken`. */
function unique(name: string, taken: Set<string>): string {
  const v = keyFromLabel(name, taken);
  taken.add(v);
  return v;
}

const label = (code: QdcCode) => {
  const l = code.name.trim();
  if (!l) throw new AppError('VALIDATION_FAILED', `not a valid REFI-QDA codebook: ${code.path} has an empty name`);
  return l;
};

/** Options from a code's descendants, depth first, keeping existing values by label. */
function optionsOf(codes: QdcCode[], existing: FieldOption[]): FieldOption[] {
  const byLabel = new Map(existing.map((o) => [o.label, o.value]));
  const taken = new Set<string>();
  const out: FieldOption[] = [];
  const walk = (list: QdcCode[], parent: string | null) => {
    for (const code of list) {
      const l = label(code);
      const known = byLabel.get(l);
      const value = known !== undefined && !taken.has(known) ? known : unique(l, taken);
      taken.add(value);
      out.push({ value, label: l, parent, help: code.description, ...(code.color ? { color: code.color } : {}) });
      walk(code.children, value);
    }
  };
  walk(codes, null);
  return out;
}

/** The field without its colour: the file's colour (or none) replaces it. */
function uncoloured(field: FieldDefinition | undefined): FieldDefinition | undefined {
  if (!field) return undefined;
  const copy = { ...field };
  delete copy.color;
  return copy;
}

function fieldFromCode(code: QdcCode, matched: FieldDefinition | undefined, keys: Set<string>): FieldDefinition {
  const current = uncoloured(matched);
  const l = label(code);
  const common = { label: l, help: code.description, ...(code.color ? { color: code.color } : {}) };
  if (current?.type === 'ordinal') {
    if (code.children.some((c) => c.children.length)) throw new AppError('VALIDATION_FAILED', `${code.path} ("${l}") is the ordinal field "${current.key}": its scale points cannot have child codes`);
    const used = new Set<number>();
    const byLabel = new Map(current.scale.map((p) => [p.label, p.value]));
    const scale = code.children.map((c) => {
      let value = byLabel.get(label(c));
      if (value === undefined || used.has(value)) for (value = 1; used.has(value) || current.scale.some((p) => p.value === value && p.label !== label(c)); value++);
      used.add(value);
      return { value, label: label(c) };
    });
    return { ...current, ...common, scale };
  }
  if (current && (current.type === 'single_choice' || current.type === 'multiple_choice')) {
    return { ...current, ...common, options: optionsOf(code.children, current.options) };
  }
  const key = current?.key ?? unique(l, keys);
  return { key, type: 'multiple_choice', required: false, allowNa: false, ...common, options: optionsOf(code.children, []) };
}

/** The fields after importing `codes` over `before` (pure, for the verb and its tests). */
export function fieldsFromQdc(codes: QdcCode[], before: FieldDefinition[]): FieldDefinition[] {
  const keys = new Set(before.map((f) => f.key));
  const next = [...before];
  const flat: QdcCode[] = [];
  for (const code of codes) {
    if (!code.children.length) {
      if (code.isCodable) flat.push(code);
      continue;
    }
    const l = label(code);
    const at = next.findIndex((f) => f.label === l || f.key === keyFromLabel(l, []));
    const current = at === -1 ? undefined : next[at];
    if (current && current.type !== 'single_choice' && current.type !== 'multiple_choice' && current.type !== 'ordinal') {
      throw new AppError('VALIDATION_FAILED', `${code.path} ("${l}") matches the ${current.type} field "${current.key}", which cannot hold codes`);
    }
    const field = fieldFromCode(code, current, keys);
    if (at === -1) next.push(field);
    else next[at] = field;
  }
  if (flat.length) {
    const at = next.findIndex((f) => f.key === 'codes' && (f.type === 'multiple_choice' || f.type === 'single_choice'));
    const parent: QdcCode = { guid: '', name: 'Codes', isCodable: false, description: '', children: flat, path: 'CodeBook/Codes' };
    const field = fieldFromCode(parent, at === -1 ? undefined : next[at], keys);
    if (at === -1) next.push(field);
    else next[at] = field;
  }
  return next;
}

function checked(fields: FieldDefinition[], name: string): FieldDefinition[] {
  const parsed = codebookInput.safeParse({ name, fields });
  if (parsed.success) return parsed.data.fields;
  const issue = parsed.error.issues[0]!;
  const [i, ...rest] = issue.path.slice(1);
  const where = typeof i === 'number' && fields[i] ? `field "${fields[i].key}" (${fields[i].label})${rest.length ? ` at ${rest.join('.')}` : ''}` : issue.path.join('.');
  throw new AppError('VALIDATION_FAILED', `the imported codebook does not fit Concord's: ${where}: ${issue.message}`);
}

export async function importCodebookQdc({ ctx, projectId, input }: { ctx: ServiceContext; projectId: string; input: CodebookQdcImportInput }) {
  await authorize({ ctx, projectId, action: 'codebook.edit' });
  const codes = await parseQdc(input.xml);
  const current = await loadCodebook({ ctx, projectId });
  const baseVersion = input.baseVersion ?? current.version;
  return mutateCodebook({ ctx, projectId, baseVersion, change: (before) => {
    const fields = checked(fieldsFromQdc(codes, before), current.name);
    const names = codes.map((c) => `"${c.name.trim()}"`).slice(0, 5).join(', ');
    return { fields, note: `imported a REFI-QDA codebook (${codes.length} top-level codes: ${names}${codes.length > 5 ? ', …' : ''})`, newVersion: true };
  } });
}
