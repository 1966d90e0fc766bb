import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createRandom } from '@concord/reliability';
import { csvRecords, CsvSyntaxError } from './csv-records.ts';

/** The records of `text` read in chunks of `size` characters (or as UTF-8 bytes). */
async function read(text: string | Uint8Array, size = Infinity): Promise<string[][]> {
  const chunks: (string | Uint8Array)[] = [];
  for (let i = 0; i < text.length; i += size === Infinity ? text.length : size) chunks.push(text.slice(i, i + (size === Infinity ? text.length : size)));
  const records: string[][] = [];
  for await (const batch of csvRecords(chunks, 2_000_000)) records.push(...batch);
  return records;
}

/** csv-parse with the options the import used before this reader: the reference. */
function reference(text: string): string[][] | 'error' {
  try {
    return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch {
    return 'error';
  }
}

async function ours(text: string, size = Infinity): Promise<string[][] | 'error'> {
  try {
    return await read(text, size);
  } catch (err) {
    if (err instanceof CsvSyntaxError) return 'error';
    throw err;
  }
}

const CASES = [
  'a,b\n1,2\n',
  'a,b\r\n1,2\r\n',
  'a,b\r1,2\r',
  'a,b\n1,2',
  'a,b\n\n\n1,2\n\n',
  'a,b\n"x, y","say ""hi"""\n',
  'a,b\n"line one\nline two",2\n',
  'a,b\r\n"line one\r\nline two",2\r\n',
  'a,b\n1,\n,2\n,\n',
  'a,b\n"",""\n""\n',
  'a\n1,2,3\n4\n',
  '\ufeffa,b\n1,2\n',
  'a,b\r\n1\n2,3\r\n',
  'a,b\n1\r2,3\n',
  'a,b\n"unclosed,1\n2,3\n',
  'a,b\nx"y,1\n',
  'a,b\n"x"y,1\n',
  'a,b\n "x",1\n',
  'a,b\n"x" ,1\n',
  'a,b\r\n"x"\n,1\r\n',
  'é,ü\n日本,"🙂, ok"\n',
  '',
  '\n\n',
  'a,b,\n1,2,\n',
];

describe('csvRecords', () => {
  it.each(CASES.map((text) => [JSON.stringify(text), text]))('reads %s as csv-parse did', async (_, text) => {
    const expected = reference(text);
    expect(await ours(text)).toEqual(expected);
    // Every split of the text into chunks gives the same records.
    for (let size = 1; size <= Math.min(text.length, 8); size++) expect(await ours(text, size)).toEqual(expected);
  });

  it('reads UTF-8 bytes split inside characters, with a byte-order mark', async () => {
    const bytes = new TextEncoder().encode('\ufefftitle,body\n日本,"🙂\n!"\n');
    expect(await read(bytes, 1)).toEqual([
      ['title', 'body'],
      ['日本', '🙂\n!'],
    ]);
  });

  it('reads UTF-16LE after its byte-order mark', async () => {
    const text = 'title\n日本\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) bytes.set([text.charCodeAt(i) & 0xff, text.charCodeAt(i) >> 8], 2 + i * 2);
    expect(await read(bytes, 3)).toEqual([['title'], ['日本']]);
  });

  it('names the line of a malformed record', async () => {
    await expect(read('title,platform\nok,news\n"unclosed quote,facebook\nnext,news\n')).rejects.toMatchObject({ line: 3 });
    await expect(read('title\r\nok\r\nba"d\r\n', 4)).rejects.toMatchObject({ line: 3, message: expect.stringContaining('Invalid Opening Quote') });
  });

  it('refuses a record over the size limit, also while it is still arriving', async () => {
    const chunks = (function* () {
      yield 'title\n"';
      for (;;) yield 'x'.repeat(1000);
    })();
    await expect(async () => {
      for await (const _ of csvRecords(chunks, 10_000)) void _;
    }).rejects.toThrow(/Max Record Size/);
  });

  it('agrees with csv-parse on random texts of commas, quotes and line breaks (seeded)', async () => {
    const seed = 20261207;
    const random = createRandom(seed);
    const alphabet = ['a', 'b', ',', '"', '"', '\n', '\r\n', '\r', ' '];
    for (let n = 0; n < 400; n++) {
      let text = '';
      const length = 1 + Math.floor(random() * 30);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const expected = reference(text);
      const size = 1 + Math.floor(random() * 6);
      expect({ seed, text, records: await ours(text, size) }).toEqual({ seed, text, records: expected });
    }
  });
});
