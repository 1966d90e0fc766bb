/**
 * The codebook as a REFI-QDA codebook (`.qdc`, QDA-XML CodeBook 1.0, the exchange format
 * of ATLAS.ti, MAXQDA, NVivo and QualCoder), both ways, without the database.
 *
 * A choice or ordinal field is a code that is not itself applied (`isCodable="false"`);
 * its options (or scale points) are its child codes, and an option's child options (a
 * parent frame's narratives) are nested under it. Descriptions are the help texts, colours
 * the optional `color`. Number and text fields are no codes, so they are not exported.
 * Guids are UUID v5 of project + field key + option value: re-exporting gives the same
 * guids, so QDA tools recognise the codes again.
 *
 * fast-xml-parser is imported on first use (here and in qdc-parse.ts), not at start: the live
 * path never needs it (bench/README.md, "Memory at start").
 */
import { createHash } from 'node:crypto';
import type { FieldDefinition, FieldOption } from '@concord/shared';

export const QDC_NAMESPACE = 'urn:QDA-XML:codebook:1.0';

/** A code as the format has it: what the import reads and the export writes. */
export interface QdcCode {
  guid: string;
  name: string;
  isCodable: boolean;
  color?: string;
  description: string;
  children: QdcCode[];
  /** Where it is in the file, for error messages: `CodeBook/Codes/Code[2]/Code[1]`. */
  path: string;
}

/** The namespace of Concord's guids (a fixed random UUID), so they never collide with another tool's v5 guids. */
const GUID_NAMESPACE = Buffer.from('6f1d3c2a9b8e4f7d8c5a1e2b3c4d5e6f', 'hex');

/** RFC 9562 UUID version 5 (SHA-1 of namespace + name). */
export function uuidV5(name: string): string {
  const b = createHash('sha1').update(GUID_NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const guidOf = (projectId: string, ...parts: (string | number)[]) => uuidV5([projectId, ...parts].join('\u0000'));

function optionCodes(projectId: string, field: FieldDefinition & { options: FieldOption[] }, parent: string | null, path: string): QdcCode[] {
  return field.options
    .filter((o) => o.parent === parent)
    .map((o, i) => {
      const here = `${path}/Code[${i + 1}]`;
      return {
        guid: guidOf(projectId, 'option', field.key, o.value),
        name: o.label,
        isCodable: true,
        ...(o.color ? { color: o.color } : {}),
        description: o.help,
        children: optionCodes(projectId, field, o.value, here),
        path: here,
      };
    });
}

/** The code tree of a codebook's choice and ordinal fields, in codebook order. */
export function codesOfFields(projectId: string, fields: FieldDefinition[]): QdcCode[] {
  const codes: QdcCode[] = [];
  for (const field of fields) {
    const path = `CodeBook/Codes/Code[${codes.length + 1}]`;
    let children: QdcCode[];
    if (field.type === 'single_choice' || field.type === 'multiple_choice') children = optionCodes(projectId, field, null, path);
    else if (field.type === 'ordinal') {
      children = field.scale.map((p, i) => ({
        guid: guidOf(projectId, 'scale', field.key, p.value),
        name: p.label,
        isCodable: true,
        description: '',
        children: [],
        path: `${path}/Code[${i + 1}]`,
      }));
    } else continue;
    codes.push({ guid: guidOf(projectId, 'field', field.key), name: field.label, isCodable: false, ...(field.color ? { color: field.color } : {}), description: field.help, children, path });
  }
  return codes;
}

type XmlCode = Record<string, unknown>;

function xmlCode(code: QdcCode): XmlCode {
  return {
    '@_guid': code.guid,
    '@_name': code.name,
    '@_isCodable': String(code.isCodable),
    ...(code.color ? { '@_color': code.color } : {}),
    // The schema's sequence: Description first, then the child codes.
    ...(code.description ? { Description: code.description } : {}),
    ...(code.children.length ? { Code: code.children.map(xmlCode) } : {}),
  };
}

/**
 * The `.qdc` document. `Sets` is left out: the schema requires at least one Set inside it,
 * and Concord has no code sets. A codebook with no codes still needs one Code (the schema
 * says so), so an empty codebook is exported as one non-codable code named after it.
 */
export async function qdcDocument(projectId: string, name: string, fields: FieldDefinition[], origin: string): Promise<string> {
  const { XMLBuilder } = await import('fast-xml-parser');
  const codes = codesOfFields(projectId, fields);
  const body = codes.length ? codes : [{ guid: guidOf(projectId, 'codebook'), name, isCodable: false, description: 'This codebook has no choice or ordinal fields yet.', children: [], path: '' }];
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: true, suppressBooleanAttributes: false });
  const xml = builder.build({ CodeBook: { '@_xmlns': QDC_NAMESPACE, '@_origin': origin, Codes: { Code: body.map(xmlCode) } } }) as string;
  return `<?xml version="1.0" encoding="utf-8"?>\n${xml}`;
}
