/**
 * The import's two readings of a file (no database): the first keeps a summary per row, not its
 * values (whole rows for a file within the budget); the second hands the rows on in bounded
 * batches while it reads, one batch at a time (or hands the kept rows on).
 */
import { describe, expect, it } from 'vitest';
import { collect, replay, WHOLE_ROWS_BUDGET, type ImportSource } from './collect.ts';
import type { ConvertedRow } from './summary.ts';

const ROWS = 1000;
const ROWS_PER_CHUNK = 40;

/** A CSV as an upload arrives: the header, then ROWS rows in chunks of ROWS_PER_CHUNK. */
function chunks(date = (i: number) => `2024-05-${String((i % 28) + 1).padStart(2, '0')}`): string[] {
  const out = ['Record ID,Title,Date,Incident,Notes\n'];
  for (let at = 0; at < ROWS; at += ROWS_PER_CHUNK) {
    let chunk = '';
    for (let i = at; i < at + ROWS_PER_CHUNK; i++) chunk += `rec${i},"Post ${i}, a title",${date(i)},${i % 2 ? 'Arrest' : ''},note ${i}\n`;
    out.push(chunk);
  }
  return out;
}

const source = (body: string[]): ImportSource => ({ format: 'csv', body, mapping: {} });

/** Counts the kept chunks as the second reading takes them. */
function countReads(body: (Uint8Array | string)[]): { read: number } {
  const counter = { read: 0 };
  Object.defineProperty(body, Symbol.iterator, {
    value: function* () {
      for (const chunk of Array.prototype.values.call(body) as Iterable<Uint8Array | string>) {
        counter.read += 1;
        yield chunk;
      }
    },
  });
  return counter;
}

describe('collect (the first reading)', () => {
  it('keeps of each row what matching and the file-wide rules need, not its values (unless asked), and the chunks', async () => {
    const body = chunks();
    const out = await collect(source(body), { skipRows: [3] }, 'throw', false, 0);
    expect(out.items).toHaveLength(ROWS - 1);
    expect(out.kept).toBeNull();
    expect(out.whole).toBe(false);
    expect(Object.keys(out.items[1]!).sort()).toEqual(['actorNames', 'externalId', 'incidentNames', 'pendingDate', 'publishedAt']);
    expect(out.items[1]).toMatchObject({ externalId: 'rec1', incidentNames: ['Arrest'] });
    expect(out.body).toEqual(body);

    const kept = await collect(source(chunks()), {}, 'throw', true);
    expect(kept.kept![1]).toMatchObject({ title: 'Post 1, a title', raw: { Notes: 'note 1' } });
    expect(kept.items[1]).toBe(kept.kept![1]);
  });

  it('keeps whole rows while the file is within the budget, and summaries of every row once it is over', async () => {
    const size = chunks().reduce((sum, c) => sum + c.length, 0);
    const within = await collect(source(chunks()), {}, 'throw', false, size);
    expect(within.whole).toBe(true);
    expect(within.kept).toBeNull();
    expect(within.items[ROWS - 1]).toMatchObject({ title: `Post ${ROWS - 1}, a title`, raw: { Notes: `note ${ROWS - 1}` } });

    // Over it half-way: the rows kept whole until then become summaries too.
    const over = await collect(source(chunks()), {}, 'throw', false, Math.floor(size / 2));
    expect(over.whole).toBe(false);
    expect(over.items).toHaveLength(ROWS);
    for (const item of [over.items[0]!, over.items[ROWS - 1]!]) expect(Object.keys(item).sort()).toEqual(['actorNames', 'externalId', 'incidentNames', 'pendingDate', 'publishedAt']);
    expect(over.items[0]).toMatchObject({ externalId: 'rec0' });
    expect(WHOLE_ROWS_BUDGET).toBeGreaterThan(size);
  });

  it('keeps summaries from the first row when the source declares a size over the budget (an upload\'s Content-Length)', async () => {
    const size = chunks().reduce((sum, c) => sum + c.length, 0);
    // Declared one byte over: the decision is the declared size's, made before any row is read.
    const over = await collect({ ...source(chunks()), size: size + 1 }, {}, 'throw', false, size);
    expect(over.whole).toBe(false);
    expect(over.items).toHaveLength(ROWS);
    expect(Object.keys(over.items[0]!).sort()).toEqual(['actorNames', 'externalId', 'incidentNames', 'pendingDate', 'publishedAt']);
    const rows: ConvertedRow[] = [];
    await replay({ source: source(over.body as string[]), options: {}, first: over, size: 100, onBatch: async (batch) => void rows.push(...batch) });
    expect(rows.map((r) => r.item.title)).toEqual(Array.from({ length: ROWS }, (_, i) => `Post ${i}, a title`));

    const within = await collect({ ...source(chunks()), size }, {}, 'throw', false, size);
    expect(within.whole).toBe(true);
  });
});

describe('replay (the second reading)', () => {
  it('hands every converted row on once, in file order, in batches of at most the size plus a chunk, the first before the file is read through', async () => {
    const first = await collect(source(chunks()), { skipRows: [3] }, 'throw', false, 0);
    const reads = countReads(first.body);
    const batches: { rows: ConvertedRow[]; readBefore: number }[] = [];
    await replay({ source: source([]), options: { skipRows: [3] }, first, size: 100, onBatch: async (rows) => {
      batches.push({ rows, readBefore: reads.read });
    } });
    const rows = batches.flatMap((b) => b.rows);
    expect(rows.map((r) => r.index)).toEqual(first.items.map((_, i) => i));
    expect(rows.map((r) => r.row)).toEqual(first.rowOf);
    expect(rows[2]).toMatchObject({ row: 4, item: { externalId: 'rec3', title: 'Post 3, a title', raw: { Notes: 'note 3' } } });
    expect(Math.max(...batches.map((b) => b.rows.length))).toBeLessThanOrEqual(100 + ROWS_PER_CHUNK);
    expect(batches.length).toBeGreaterThanOrEqual(ROWS / (100 + ROWS_PER_CHUNK));
    // Written while reading: the first batch goes before the last chunk is read, so the rows held stay a batch or two.
    expect(batches[0]!.readBefore).toBeLessThan(first.body.length / 2);
  });

  it('hands the kept rows of a file within the budget on without reading it again, in file order and batches of the size', async () => {
    const first = await collect(source(chunks()), { skipRows: [3] }, 'throw');
    expect(first.whole).toBe(true);
    const reads = countReads(first.body);
    const batches: ConvertedRow[][] = [];
    await replay({ source: source([]), options: { skipRows: [3] }, first, size: 100, onBatch: async (rows) => void batches.push(rows) });
    expect(reads.read).toBe(0);
    const rows = batches.flat();
    expect(rows.map((r) => r.index)).toEqual(first.items.map((_, i) => i));
    expect(rows.map((r) => r.row)).toEqual(first.rowOf);
    expect(rows[2]).toMatchObject({ row: 4, item: { externalId: 'rec3', title: 'Post 3, a title', raw: { Notes: 'note 3' } } });
    expect(batches.map((b) => b.length)).toEqual([...Array<number>(9).fill(100), 99]);
  });
});

describe.each([
  ['read again', 0],
  ['kept whole', WHOLE_ROWS_BUDGET],
])('replay of a file %s', (_, budget) => {
  it('hands the next batch on only once the previous one is written, while reading on', async () => {
    const first = await collect(source(chunks()), {}, 'throw', false, budget);
    let writing = false;
    let overlapped = 0;
    const order: string[] = [];
    await replay({ source: source([]), options: {}, first, size: 300, onBatch: async (rows) => {
      // Counted, not asserted here: a throw in a batch's write is the replay's failure, seen only when it is awaited.
      if (writing) overlapped += 1;
      writing = true;
      order.push('start');
      for (let turn = 0; turn < 5; turn++) await new Promise(setImmediate);
      order.push(`end ${rows.length}`);
      writing = false;
    } });
    expect(overlapped).toBe(0);
    // Every batch written before replay returns.
    expect(order.length).toBeGreaterThan(4);
    order.forEach((event, i) => expect(event.startsWith(i % 2 ? 'end' : 'start')).toBe(true));
    expect(order.filter((e) => e.startsWith('end')).reduce((sum, e) => sum + Number(e.slice(4)), 0)).toBe(ROWS);
  });

  it('gives the replayed rows the slash dates the first reading resolved for the whole file', async () => {
    // Day/month, as the caller says (and row 13 agrees): 5/6/2024 is 5 June.
    const first = await collect(source(chunks((i) => (i === 12 ? '13/05/2024' : '5/6/2024'))), { dateOrder: 'dmy' }, 'throw', false, budget);
    expect(first.dateOrder).toMatchObject({ needed: false, used: 'dmy' });
    expect(first.items[0]!.publishedAt).toEqual(new Date('2024-06-05T00:00:00Z'));
    const rows: ConvertedRow[] = [];
    await replay({ source: source([]), options: { dateOrder: 'dmy' }, first, size: 100, onBatch: async (batch) => void rows.push(...batch) });
    expect(rows[0]!.item).toMatchObject({ publishedAt: new Date('2024-06-05T00:00:00Z'), pendingDate: null });
    expect(rows[12]!.item.publishedAt).toEqual(new Date('2024-05-13T00:00:00Z'));
  });

  it('fails with the first failed write, and hands nothing on after it', async () => {
    const first = await collect(source(chunks()), {}, 'throw', false, budget);
    let calls = 0;
    const failed = replay({ source: source([]), options: {}, first, size: 100, onBatch: async () => {
      calls += 1;
      if (calls === 2) throw new Error('write failed');
    } });
    await expect(failed).rejects.toThrow('write failed');
    expect(calls).toBe(2);
  });
});
