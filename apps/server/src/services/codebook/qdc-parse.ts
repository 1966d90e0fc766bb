/**
 * Reading a REFI-QDA codebook (`.qdc`): well-formedness by fast-xml-parser's validator
 * (which reports the line), then the CodeBook schema's rules checked element by element,
 * each error naming the element's path (`CodeBook/Codes/Code[2]/Code[1]`). The rules are
 * those of the standard's Codebook.xsd (test/fixtures/refi-qda), which the tests hold the
 * export to; here they guard what the import relies on.
 */
import { AppError } from '../../errors.ts';
import { QDC_NAMESPACE, type QdcCode } from './qdc-format.ts';

const GUID = /^(\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
const RGB = /^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$/;

const invalid = (message: string) => new AppError('VALIDATION_FAILED', `not a valid REFI-QDA codebook: ${message}`);

type Node = Record<string, unknown>;
/** How an unexpected key of a parsed element is named in an error. */
const describeKey = (k: string) => (k === '#text' ? 'text' : k.startsWith('@_') ? `attribute "${k.slice(2)}"` : `element <${k}>`);
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Attributes and child elements a CodeType may have (anything else is outside the schema). */
const CODE_KEYS = new Set(['@_guid', '@_name', '@_isCodable', '@_color', 'Description', 'Code']);

/** `#abc` is `#aabbcc`; Concord stores lowercase six-digit colours. */
function normalColor(color: string): string {
  const hex = color.slice(1).toLowerCase();
  return `#${hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex}`;
}

function readCode(node: unknown, path: string): QdcCode {
  if (!isNode(node)) throw invalid(`${path} must be an element with attributes guid, name and isCodable`);
  const unknown = Object.keys(node).filter((k) => !CODE_KEYS.has(k) && !k.startsWith('@_xmlns'));
  if (unknown.length) throw invalid(`${path} has ${unknown.map(describeKey).join(', ')}, which the schema does not allow`);
  const attr = (name: string) => {
    const v = node[`@_${name}`];
    return typeof v === 'string' ? v : undefined;
  };
  const guid = attr('guid');
  const name = attr('name');
  const isCodable = attr('isCodable');
  const color = attr('color');
  if (guid === undefined || !GUID.test(guid.trim())) throw invalid(`${path} needs a guid attribute in UUID form (got ${guid === undefined ? 'none' : `"${guid}"`})`);
  if (name === undefined) throw invalid(`${path} needs a name attribute`);
  if (isCodable === undefined || !['true', 'false', '1', '0'].includes(isCodable.trim())) {
    throw invalid(`${path} ("${name}") needs isCodable="true" or "false" (got ${isCodable === undefined ? 'none' : `"${isCodable}"`})`);
  }
  if (color !== undefined && !RGB.test(color.trim())) throw invalid(`${path} ("${name}") has color "${color}", not #rrggbb`);
  const descriptions = node.Description === undefined ? [] : Array.isArray(node.Description) ? node.Description : [node.Description];
  if (descriptions.length > 1) throw invalid(`${path} ("${name}") has ${descriptions.length} <Description> elements; the schema allows one`);
  const description = descriptions[0];
  if (description !== undefined && typeof description !== 'string') throw invalid(`${path}/Description ("${name}") must hold text only`);
  const children = (node.Code as unknown[] | undefined) ?? [];
  return {
    guid: guid.trim(),
    name,
    isCodable: ['true', '1'].includes(isCodable.trim()),
    ...(color !== undefined ? { color: normalColor(color.trim()) } : {}),
    description: (description ?? '').trim(),
    children: children.map((c, i) => readCode(c, `${path}/Code[${i + 1}]`)),
    path,
  };
}

/** The codes of a `.qdc` document, or a 400 that says where it is wrong. */
export async function parseQdc(xml: string): Promise<QdcCode[]> {
  const { XMLParser, XMLValidator } = await import('fast-xml-parser');
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) throw invalid(`malformed XML at line ${wellFormed.err.line}, column ${wellFormed.err.col}: ${wellFormed.err.msg}`);
  // Entity declarations could expand without bound; a codebook needs none.
  if (xml.includes('<!DOCTYPE') || xml.includes('<!ENTITY')) throw invalid('document type declarations are not accepted');
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseAttributeValue: false,
    parseTagValue: false,
    // Indentation between elements is no content; descriptions are trimmed anyway.
    trimValues: true,
    processEntities: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (name) => name === 'Code' || name === 'Set',
  });
  const doc = parser.parse(xml) as Node;
  const roots = Object.keys(doc);
  if (roots.length !== 1 || roots[0] !== 'CodeBook') throw invalid(`the root element must be <CodeBook>, not ${roots.map((r) => `<${r}>`).join(', ') || 'nothing'}`);
  const book = doc.CodeBook;
  if (!isNode(book)) throw invalid('<CodeBook> must contain <Codes>');
  if (book['@_xmlns'] !== QDC_NAMESPACE) throw invalid(`<CodeBook> must be in the namespace ${QDC_NAMESPACE} (xmlns="${String(book['@_xmlns'] ?? '')}")`);
  const extra = Object.keys(book).filter((k) => !['Codes', 'Sets', '@_origin'].includes(k) && !k.startsWith('@_xmlns') && !k.startsWith('@_xsi:'));
  if (extra.length) throw invalid(`<CodeBook> has ${extra.map(describeKey).join(', ')}, which the schema does not allow`);
  const codes = book.Codes;
  if (!isNode(codes) || !Array.isArray(codes.Code) || codes.Code.length === 0) throw invalid('CodeBook/Codes must contain at least one <Code>');
  const codesExtra = Object.keys(codes).filter((k) => k !== 'Code');
  if (codesExtra.length) throw invalid(`CodeBook/Codes has ${codesExtra.map(describeKey).join(', ')}, which the schema does not allow`);
  return codes.Code.map((c, i) => readCode(c, `CodeBook/Codes/Code[${i + 1}]`));
}
