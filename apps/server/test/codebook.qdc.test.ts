/**
 * REFI-QDA codebook exchange (issue 14 item 9): `GET …/export/codebook.qdc` writes a
 * QDA-XML CodeBook that the standard's own Codebook.xsd accepts (validated with
 * xmllint-wasm, offline), `POST …/codebook/import-qdc` reads one into the next codebook
 * version, and the demo codebook round-trips through an empty project unchanged.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import type { Codebook, CodebookVersion, ErrorBody, Role } from '@concord/shared';
import { createProjectFixture, createTeamHarness, json, signUp, type Harness, type Session } from './harness.ts';

const XSD = readFileSync(new URL('./fixtures/refi-qda/Codebook.xsd', import.meta.url), 'utf8');

let h: Harness;
let members: Record<Role, Session>;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
});
afterAll(() => h.close());

async function validate(xml: string) {
  const result = await validateXML({ xml: [{ fileName: 'codebook.qdc', contents: xml }], schema: [{ fileName: 'Codebook.xsd', contents: XSD }] });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}

interface Tree {
  name: string;
  isCodable: string;
  color?: string;
  description: string;
  children: Tree[];
}
interface XmlCode {
  '@_guid': string;
  '@_name': string;
  '@_isCodable': string;
  '@_color'?: string;
  Description?: string;
  Code?: XmlCode[];
}

/** The parsed `Code` elements, and the tree of what the round trip must keep (guids aside). */
function codesOf(xml: string): XmlCode[] {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: (n) => n === 'Code' }).parse(xml) as {
    CodeBook: { '@_xmlns': string; Codes: { Code: XmlCode[] } };
  };
  expect(doc.CodeBook['@_xmlns']).toBe('urn:QDA-XML:codebook:1.0');
  return doc.CodeBook.Codes.Code;
}
const tree = (codes: XmlCode[] | undefined): Tree[] =>
  (codes ?? []).map((c) => ({
    name: c['@_name'],
    isCodable: c['@_isCodable'],
    ...(c['@_color'] ? { color: c['@_color'] } : {}),
    description: c.Description ?? '',
    children: tree(c.Code),
  }));
const guids = (codes: XmlCode[] | undefined): string[] => (codes ?? []).flatMap((c) => [c['@_guid'], ...guids(c.Code)]);

const newProject = async (template: 'cmo' | 'empty', name: string) =>
  json<{ id: string }>(await h.request(members.owner, 'POST', '/api/projects', { name, description: '', template }));
const exportQdc = (projectId: string, who: Session = members.owner) => h.request(who, 'GET', `/api/projects/${projectId}/export/codebook.qdc`);
const importQdc = (projectId: string, xml: string, who: Session = members.owner) =>
  h.request(who, 'POST', `/api/projects/${projectId}/codebook/import-qdc`, { xml });
const codebook = async (projectId: string) => json<Codebook>(await h.request(members.owner, 'GET', `/api/projects/${projectId}/codebook`));
const versions = async (projectId: string) => json<CodebookVersion[]>(await h.request(members.owner, 'GET', `/api/projects/${projectId}/codebook/versions`));

describe('GET /api/projects/:id/export/codebook.qdc', () => {
  it('returns REFI-QDA XML that the standard Codebook.xsd accepts, with the hierarchy, descriptions and stable guids', async () => {
    const { id } = await newProject('cmo', 'QDC export');
    const res = await exportQdc(id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/xml');
    expect(res.headers.get('content-disposition')).toContain('codebook.qdc');
    const xml = await res.text();
    expect(await validate(xml)).toEqual({ valid: true, errors: [] });

    const cb = await codebook(id);
    const codes = codesOf(xml);
    const coded = cb.fields.filter((f) => f.type !== 'text' && f.type !== 'number');
    expect(codes.map((c) => c['@_name'])).toEqual(coded.map((f) => f.label));
    expect(codes.every((c) => c['@_isCodable'] === 'false')).toBe(true);
    // Parent frames hold their child frames, as the codebook's `parent` says.
    const frames = cb.fields.find((f) => f.type === 'multiple_choice' && f.options.some((o) => o.parent !== null));
    if (frames?.type !== 'multiple_choice') throw new Error('the demo codebook has hierarchical frames');
    const frameCode = codes.find((c) => c['@_name'] === frames.label)!;
    const parents = frames.options.filter((o) => o.parent === null);
    expect(frameCode.Code!.map((c) => c['@_name'])).toEqual(parents.map((o) => o.label));
    for (const [i, p] of parents.entries()) {
      expect((frameCode.Code![i]!.Code ?? []).map((c) => c['@_name'])).toEqual(frames.options.filter((o) => o.parent === p.value).map((o) => o.label));
    }
    const described = cb.fields.find((f) => f.help && f.type !== 'text' && f.type !== 'number')!;
    expect(codes.find((c) => c['@_name'] === described.label)!.Description).toBe(described.help);

    // Same project, same guids; another project, other guids; all unique.
    const again = codesOf(await (await exportQdc(id)).text());
    expect(guids(again)).toEqual(guids(codes));
    expect(new Set(guids(codes)).size).toBe(guids(codes).length);
    const other = await newProject('cmo', 'QDC export 2');
    const theirs = guids(codesOf(await (await exportQdc(other.id)).text()));
    expect(theirs.filter((g) => guids(codes).includes(g))).toEqual([]);
  });

  it('exports an empty codebook as a schema-valid document too', async () => {
    const { id } = await newProject('empty', 'QDC empty');
    const xml = await (await exportQdc(id)).text();
    expect(await validate(xml)).toEqual({ valid: true, errors: [] });
  });

  it('is for managers only: a coder gets 403, a non-member 404', async () => {
    const f = await createProjectFixture(h, members);
    expect((await exportQdc(f.projectId, members.editor)).status).toBe(200);
    expect((await exportQdc(f.projectId, members.coder)).status).toBe(403);
    const stranger = await signUp(h, 'stranger');
    expect((await exportQdc(f.projectId, stranger)).status).toBe(404);
  });
});

describe('POST /api/projects/:id/codebook/import-qdc', () => {
  it('round-trips the demo codebook through an empty project: same codes, hierarchy, descriptions, colours', async () => {
    const demo = await newProject('cmo', 'QDC round trip source');
    // Colours are optional in Concord; give some so the round trip carries them.
    const cb = await codebook(demo.id);
    const coloured = cb.fields.map((f, i) =>
      f.type === 'multiple_choice' || f.type === 'single_choice'
        ? { ...f, color: i % 2 ? '#1f77b4' : '#d62728', options: f.options.map((o, j) => (j % 3 === 0 ? { ...o, color: '#2ca02c' } : o)) }
        : f,
    );
    expect((await h.request(members.owner, 'PUT', `/api/projects/${demo.id}/codebook`, { name: cb.name, baseVersion: cb.version, fields: coloured })).status).toBe(200);
    const first = await (await exportQdc(demo.id)).text();

    const empty = await newProject('empty', 'QDC round trip target');
    const before = await versions(empty.id);
    const res = await importQdc(empty.id, first);
    expect(res.status, await res.clone().text()).toBe(200);
    const imported = await json<Codebook>(res);
    expect(imported.version).toBe(before[0]!.version + 1);
    expect((await versions(empty.id))[0]!.note).toContain('imported a REFI-QDA codebook');

    const second = await (await exportQdc(empty.id)).text();
    expect(await validate(second)).toEqual({ valid: true, errors: [] });
    expect(tree(codesOf(second))).toEqual(tree(codesOf(first)));
    expect(JSON.stringify(tree(codesOf(first)))).toContain('#2ca02c');
  });

  it('keeps matching fields (key, type, option values) and adds a flat codebook as one "Codes" field', async () => {
    const f = await createProjectFixture(h, members);
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA">
  <Codes>
    <Code guid="{11111111-2222-4333-8444-555555555555}" name="Frame" isCodable="false" color="#abc">
      <Description>Which frame the item uses.</Description>
      <Code guid="21111111-2222-4333-8444-555555555555" name="Security" isCodable="true">
        <Code guid="31111111-2222-4333-8444-555555555555" name="Protesters are terrorists" isCodable="true"/>
        <Code guid="41111111-2222-4333-8444-555555555555" name="Foreign plot" isCodable="true"/>
      </Code>
    </Code>
    <Code guid="51111111-2222-4333-8444-555555555555" name="Irony" isCodable="true"/>
    <Code guid="61111111-2222-4333-8444-555555555555" name="Сарказм" isCodable="true"/>
  </Codes>
</CodeBook>`;
    expect(await validate(xml)).toEqual({ valid: true, errors: [] });
    const res = await importQdc(f.projectId, xml, members.methodologist);
    expect(res.status, await res.clone().text()).toBe(200);
    const cb = await json<Codebook>(res);
    const frame = cb.fields.find((x) => x.key === 'frame')!;
    expect(frame).toMatchObject({ type: 'single_choice', required: true, allowNa: true, label: 'Frame', help: 'Which frame the item uses.', color: '#aabbcc' });
    if (frame.type !== 'single_choice') throw new Error('type kept');
    expect(frame.options.map((o) => [o.value, o.parent])).toEqual([
      ['security', null],
      ['protesters_terrorists', 'security'],
      ['foreign_plot', 'security'],
    ]);
    expect(cb.fields.map((x) => x.key)).toEqual(['frame', 'impact', 'notes', 'codes']);
    const flat = cb.fields.find((x) => x.key === 'codes')!;
    expect(flat.type === 'multiple_choice' && flat.options.map((o) => o.label)).toEqual(['Irony', 'Сарказм']);
  });

  /** What, the file, the message expected, and whether the standard's schema also refuses it (a DOCTYPE is our rule, not the schema's). */
  const bad: [string, string, RegExp, boolean?][] = [
    ['malformed XML', '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>\n<Code guid="x" name="A" isCodable="true">\n</Codes></CodeBook>', /malformed XML at line \d+/],
    ['another root', '<Project xmlns="urn:QDA-XML:project:1.0"/>', /root element must be <CodeBook>/],
    ['the wrong namespace', '<CodeBook xmlns="urn:QDA-XML:codebook:1:0"><Codes><Code guid="0b6e7c2e-1f0a-4c3b-9d7e-2a1b3c4d5e6f" name="A" isCodable="true"/></Codes></CodeBook>', /namespace urn:QDA-XML:codebook:1\.0/],
    ['no codes', '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', /at least one <Code>/],
    [
      'a code without isCodable',
      '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="0b6e7c2e-1f0a-4c3b-9d7e-2a1b3c4d5e6f" name="A" isCodable="false"><Code guid="1b6e7c2e-1f0a-4c3b-9d7e-2a1b3c4d5e6f" name="B"/></Code></Codes></CodeBook>',
      /CodeBook\/Codes\/Code\[1\]\/Code\[1\] \("B"\) needs isCodable/,
    ],
    ['a bad guid', '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="42" name="A" isCodable="true"/></Codes></CodeBook>', /CodeBook\/Codes\/Code\[1\] needs a guid/],
    ['a bad colour', '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="0b6e7c2e-1f0a-4c3b-9d7e-2a1b3c4d5e6f" name="A" isCodable="true" color="red"/></Codes></CodeBook>', /color "red"/],
    ['an unknown element', '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="0b6e7c2e-1f0a-4c3b-9d7e-2a1b3c4d5e6f" name="A" isCodable="true"><Memo>x</Memo></Code></Codes></CodeBook>', /element <Memo>/],
    ['entity declarations', '<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY a "aaaa">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="0b6e7c2e-1f0a-4c3b-9d7e-2a1b3c4d5e6f" name="&a;" isCodable="true"/></Codes></CodeBook>', /document type declarations/, false],
  ];
  it.each(bad)('refuses %s with a 400 that says where, and saves nothing', async (_what, xml, message, schemaRefuses = true) => {
    const f = await createProjectFixture(h, members);
    const cbBefore = await codebook(f.projectId);
    const versionsBefore = await versions(f.projectId);
    const res = await importQdc(f.projectId, xml);
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toMatch(message);
    expect(await codebook(f.projectId)).toEqual(cbBefore);
    expect(await versions(f.projectId)).toEqual(versionsBefore);
    // The standard's schema agrees that these files are not codebooks.
    expect((await validate(xml)).valid).toBe(!schemaRefuses);
  });

  it('refuses a code that matches a text field, saving nothing', async () => {
    const f = await createProjectFixture(h, members);
    const before = await codebook(f.projectId);
    const xml = `<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="0b6e7c2e-1f0a-4c3b-9d7e-2a1b3c4d5e6f" name="Notes" isCodable="false"><Code guid="1b6e7c2e-1f0a-4c3b-9d7e-2a1b3c4d5e6f" name="Long" isCodable="true"/></Code></Codes></CodeBook>`;
    const res = await importQdc(f.projectId, xml);
    expect(res.status).toBe(400);
    expect((await json<{ error: { message: string } }>(res)).error.message).toContain('text field "notes"');
    expect(await codebook(f.projectId)).toEqual(before);
  });

  it('lets owners and methodologists import; an editor or coder gets 403, a non-member 404, and nothing changes', async () => {
    const f = await createProjectFixture(h, members);
    const { id } = await newProject('cmo', 'QDC permissions source');
    const xml = await (await exportQdc(id)).text();
    const before = await versions(f.projectId);
    expect((await importQdc(f.projectId, xml, members.coder)).status).toBe(403);
    expect((await importQdc(f.projectId, xml, members.editor)).status).toBe(403);
    const stranger = await signUp(h, 'qdc-stranger');
    expect((await importQdc(f.projectId, xml, stranger)).status).toBe(404);
    expect(await versions(f.projectId)).toEqual(before);
  });
});
