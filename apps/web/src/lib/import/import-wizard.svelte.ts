/**
 * The state of the import wizard: the chosen file as parsed records, the column mapping, the
 * fixed cells and skipped rows, the server's last dry run and the import's progress. The page
 * and its parts render this state and call its verbs; the server does every check.
 */
import { SvelteSet } from 'svelte/reactivity';
import {
  IMPORT_TARGETS,
  type DateOrder,
  type ErrorDetail,
  type ImportAction,
  type ImportCheck,
  type ImportCode,
  type ImportCodesInput,
  type ImportMapping,
  type ImportResult,
  type ImportTarget,
} from '@concord/shared';
import { parseCsv, toCsv } from '$lib/csv.ts';
import { ApiError, messageOf } from '$lib/errors.ts';
import { checkImport, runImport, type ImportRequest } from '$lib/import-upload.ts';

export type ImportBusy = '' | 'reading' | 'checking' | 'importing';

/** What a column is read as: an item field, a codebook field's codes (`code:<key>`), or nothing (''). */
export type ColumnUse = ImportTarget | `code:${string}` | '';
/** Whose codes the code columns are: the project's imported coder, or a member's user id. */
export const IMPORTED_CODER = 'imported';

export class ImportWizard {
  file = $state<File | null>(null);
  /** The parsed file: records[0] is the header, records[n] is data row n (as the server numbers rows). */
  records = $state.raw<string[][]>([]);
  /** Column index -> item field ('' = ignore). */
  targets = $state<(ImportTarget | '')[]>([]);
  /** Column index -> the codebook field whose codes it holds ('' = none). */
  codeFields = $state<string[]>([]);
  /** Whose codes they are: IMPORTED_CODER or a member's user id. */
  coder = $state<string>(IMPORTED_CODER);
  /** Column header -> file label -> code chosen in the value-mapping step (null: leave the value empty). */
  valueMaps = $state<Record<string, Record<string, ImportCode | null>>>({});
  /** Column header -> whether the link field's names that match no actor create one. */
  createActors = $state<Record<string, boolean>>({});
  /** A cell was fixed here, so the file goes as new CSV. */
  edited = $state(false);
  readonly skip = new SvelteSet<number>();
  /** How the file's slash dates read: '' until the person chooses (asked when the dry run says the file cannot tell). */
  dateOrder = $state<DateOrder | ''>('');
  check = $state<ImportCheck | null>(null);
  /** The check no longer matches the mapping, the cells or the skipped rows. */
  stale = $state(true);
  busy = $state<ImportBusy>('');
  progress = $state(0);
  result = $state<ImportResult | null>(null);
  failure = $state('');
  failureDetails = $state<ErrorDetail[]>([]);

  readonly header = $derived(this.records[0] ?? []);
  readonly dataRows = $derived(Math.max(0, this.records.length - 1));
  readonly ready = $derived(this.check !== null && !this.stale && this.check.problemCount === 0 && this.check.valid > 0 && this.busy === '');
  /** The last check's action per data row (create, update, unchanged). */
  readonly actions: Readonly<Record<number, ImportAction>> = $derived(Object.fromEntries(this.check?.actions.map((a) => [a.row, a.action]) ?? []));
  /** The skipped rows in file order. */
  readonly skippedRows = $derived([...this.skip].sort((a, b) => a - b));

  readonly #target: () => { origin: string; projectId: string };

  /** `target` is read at each request, so the wizard follows the page's project. */
  constructor(target: () => { origin: string; projectId: string }) {
    this.#target = target;
  }

  #mapping(): ImportMapping {
    // Every target explicit: unmapped ones are null, so no alias picks a column the user set to "ignore".
    const mapping: ImportMapping = Object.fromEntries(IMPORT_TARGETS.map((t) => [t, null]));
    this.targets.forEach((t, i) => {
      if (t) mapping[t] = this.header[i]!;
    });
    return mapping;
  }

  /** The code columns, or undefined when no column holds codes. */
  #codes(): ImportCodesInput | undefined {
    const columns = this.codeFields.flatMap((fieldKey, i) => {
      const column = this.header[i]!;
      return fieldKey ? [{ column, fieldKey, valueMap: this.valueMaps[column] ?? {}, createActors: this.createActors[column] === true }] : [];
    });
    if (!columns.length) return undefined;
    return { coder: this.coder === IMPORTED_CODER ? { imported: true } : { userId: this.coder }, columns };
  }

  #request(): ImportRequest {
    return {
      ...this.#target(),
      mapping: this.check ? this.#mapping() : {},
      codes: this.#codes(),
      skipRows: this.skippedRows,
      dateOrder: this.dateOrder || undefined,
      filename: this.file?.name ?? 'import.csv',
      // Unchanged files go as they are (large ones are never re-serialised); fixed cells as new CSV.
      body: this.edited || !this.file ? toCsv(this.records) : this.file,
    };
  }

  #fail(err: unknown) {
    this.failure = messageOf(err);
    this.failureDetails = err instanceof ApiError ? err.details : [];
  }

  #clearFailure() {
    this.failure = '';
    this.failureDetails = [];
  }

  /** A file was chosen (or the choice cleared): start over with it and run the first check. */
  async choose(chosen: File | null) {
    this.file = chosen;
    this.records = [];
    this.targets = [];
    this.codeFields = [];
    this.valueMaps = {};
    this.createActors = {};
    this.check = null;
    this.result = null;
    this.edited = false;
    this.dateOrder = '';
    this.skip.clear();
    this.#clearFailure();
    if (!chosen) return;
    this.busy = 'reading';
    try {
      this.records = parseCsv(await chosen.text());
    } finally {
      this.busy = '';
    }
    if (this.records.length === 0) {
      this.failure = 'The file is empty: it needs a header row.';
      return;
    }
    await this.validate();
  }

  /** The dry run with the current mapping, cells and skipped rows. The first run takes the server's aliases. */
  async validate() {
    this.busy = 'checking';
    this.#clearFailure();
    try {
      const first = this.check === null;
      const next = await checkImport(this.#request());
      if (first) {
        // The server's aliases: which target took each header (a handful of columns, so a scan).
        const taken = Object.entries(next.columns);
        this.targets = next.header.map((h) => (taken.find(([, column]) => column === h)?.[0] as ImportTarget | undefined) ?? '');
        this.codeFields = next.header.map(() => '');
      }
      this.check = next;
      this.stale = false;
    } catch (err) {
      this.#fail(err);
    } finally {
      this.busy = '';
    }
  }

  /** What column `i` is read as, for its select. */
  use(column: number): ColumnUse {
    const code = this.codeFields[column];
    return code ? `code:${code}` : (this.targets[column] ?? '');
  }

  setTarget(column: number, use: ColumnUse) {
    const target = use.startsWith('code:') ? '' : (use as ImportTarget | '');
    const code = use.startsWith('code:') ? use.slice('code:'.length) : '';
    // One column per field (item or codebook): taking one from another column leaves that one ignored.
    this.targets = this.header.map((_, i) => (i === column ? target : this.targets[i] === target ? '' : (this.targets[i] ?? '')));
    this.codeFields = this.header.map((_, i) => (i === column ? code : this.codeFields[i] === code ? '' : (this.codeFields[i] ?? '')));
    this.stale = true;
  }

  setCoder(coder: string) {
    this.coder = coder;
    this.stale = true;
  }

  /** A link field's column: names that match no actor create one (on), or are problems to map (off). */
  setCreateActors(column: string, on: boolean) {
    this.createActors = { ...this.createActors, [column]: on };
    this.stale = true;
  }

  /**
   * An items' actors column (Airtable's linked records) read instead as a link field's codes:
   * its names become actors as before (new ones created) and are linked to their items as the
   * chosen coder's values of that field.
   */
  linkActorsColumn(column: number, fieldKey: string) {
    this.setTarget(column, `code:${fieldKey}`);
    this.setCreateActors(this.header[column]!, true);
  }

  /** The value-mapping step: `label` of `column` becomes `code` (null: left empty; undefined: the server's suggestion). */
  mapValue(column: string, label: string, code: ImportCode | null | undefined) {
    const map = { ...this.valueMaps[column] };
    if (code === undefined) delete map[label];
    else map[label] = code;
    this.valueMaps = { ...this.valueMaps, [column]: map };
    this.stale = true;
  }

  editCell(row: number, column: number, value: string) {
    const next = this.records.slice();
    const cells = next[row]!.slice();
    cells[column] = value;
    next[row] = cells;
    this.records = next;
    this.edited = true;
    this.stale = true;
  }

  setDateOrder(order: DateOrder | '') {
    this.dateOrder = order;
    this.stale = true;
  }

  toggleSkip(row: number, skipped: boolean) {
    if (skipped) this.skip.add(row);
    else this.skip.delete(row);
    this.stale = true;
  }

  async importNow() {
    this.busy = 'importing';
    this.progress = 0;
    this.#clearFailure();
    try {
      this.result = await runImport(this.#request(), (fraction) => (this.progress = fraction));
      this.progress = 1;
    } catch (err) {
      this.#fail(err);
    } finally {
      this.busy = '';
    }
  }

  /** The index of a column named by the server, or -1. */
  columnIndex(name: string | undefined): number {
    return name === undefined ? -1 : this.header.indexOf(name);
  }
}
