/**
 * The arguments of `concord reliability`: options, their checks and the usage text.
 */
import type { AlphaLevel } from './distance.ts';
import { ReliabilityError } from './errors.ts';
import type { CsvLayoutChoice } from './layout.ts';
import type { SetDistanceName } from './set-alpha.ts';
import type { WeightScheme } from './weights.ts';

export const METRICS = [
  'percent-agreement',
  'holsti',
  'cohen-kappa',
  'scott-pi',
  'fleiss-kappa',
  'brennan-prediger',
  'gwet-ac',
  'krippendorff-alpha',
] as const;
export type Metric = (typeof METRICS)[number];
const LEVELS: readonly AlphaLevel[] = ['nominal', 'ordinal', 'interval', 'ratio'];
const WEIGHTS: readonly WeightScheme[] = ['unweighted', 'linear', 'quadratic'];
const DISTANCES: readonly SetDistanceName[] = ['masi', 'jaccard'];
const LAYOUTS: readonly CsvLayoutChoice[] = ['auto', 'wide', 'long'];
export const WEIGHTED_METRICS: readonly Metric[] = ['cohen-kappa', 'fleiss-kappa', 'gwet-ac'];

export const USAGE = `usage: pnpm concord reliability FILE [options]
  FILE                 CSV file, or - for stdin. Wide layout: header row, first column the
                       unit id, one column per coder; empty cell = missing; set values
                       join labels with |. Long layout: a header naming unit, coder and
                       value (and field, as in the project's codings.csv?layout=long).
  --layout L           auto (default: by the header) | wide | long; a header that fits
                       neither layout as asked is refused (exit 2)
  --field KEY          the field to read from a long file with a field column (required
                       when the file holds more than one field)
  --metric M           percent-agreement | holsti | cohen-kappa | scott-pi | fleiss-kappa |
                       brennan-prediger | gwet-ac | krippendorff-alpha (default)
  --level L            nominal | ordinal | interval | ratio (alpha; default nominal)
  --weights W          unweighted | linear | quadratic (cohen-kappa, fleiss-kappa, gwet-ac)
  --distance D         masi | jaccard (alpha on set values)
  --categories a,b,c   declare the categories and their order
  --bootstrap N        add a percentile bootstrap confidence interval (N replicates)
  --seed S             seed of the bootstrap (default 1)
  --json               print one JSON object
`;

export interface CliOptions {
  file: string;
  metric: Metric;
  level: AlphaLevel | null;
  weights: WeightScheme | null;
  distance: SetDistanceName | null;
  categories: string[] | undefined;
  layout: CsvLayoutChoice;
  field: string | undefined;
  bootstrap: number | null;
  seed: number;
  json: boolean;
  help: boolean;
}

const VALUE_OPTIONS = ['--metric', '--level', '--weights', '--distance', '--categories', '--layout', '--field', '--bootstrap', '--seed'];

function invalid(message: string): ReliabilityError {
  return new ReliabilityError('INVALID_OPTION', message);
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw invalid(`${option} requires one of ${allowed.join(', ')}, got "${value}"`);
  return found;
}

function parseInteger(option: string, value: string, min: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw invalid(`${option} requires an integer >= ${min}, got "${value}"`);
  return n;
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    file: '',
    metric: 'krippendorff-alpha',
    level: null,
    weights: null,
    distance: null,
    categories: undefined,
    layout: 'auto',
    field: undefined,
    bootstrap: null,
    seed: 1,
    json: false,
    help: false,
  };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--json') options.json = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '-' || !arg.startsWith('-')) files.push(arg);
    else {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(0, eq) : arg;
      if (!VALUE_OPTIONS.includes(name)) throw new ReliabilityError('UNKNOWN_OPTION', `unknown option ${name}`);
      let value: string;
      if (eq > 0) value = arg.slice(eq + 1);
      else {
        const next = argv[i + 1];
        if (next === undefined) throw invalid(`${name} requires a value`);
        value = next;
        i++;
      }
      switch (name) {
        case '--metric':
          options.metric = oneOf(name, value, METRICS);
          break;
        case '--level':
          options.level = oneOf(name, value, LEVELS);
          break;
        case '--weights':
          options.weights = oneOf(name, value, WEIGHTS);
          break;
        case '--distance':
          options.distance = oneOf(name, value, DISTANCES);
          break;
        case '--layout':
          options.layout = oneOf(name, value, LAYOUTS);
          break;
        case '--field':
          if (value.trim() === '') throw invalid('--field requires a field key, got ""');
          options.field = value.trim();
          break;
        case '--categories': {
          const categories = value.split(',').map((c) => c.trim());
          if (categories.some((c) => c === '')) throw invalid(`--categories requires non-empty labels, got "${value}"`);
          options.categories = categories;
          break;
        }
        case '--bootstrap':
          options.bootstrap = parseInteger(name, value, 1);
          break;
        case '--seed':
          options.seed = parseInteger(name, value, 0);
          break;
      }
    }
  }
  if (options.help) return options;
  if (files.length !== 1) throw invalid(files.length === 0 ? 'reliability requires a FILE argument' : `reliability requires one FILE, got ${files.length}`);
  options.file = files[0] ?? '';
  if (options.level !== null && options.metric !== 'krippendorff-alpha') throw invalid(`--level applies to krippendorff-alpha, not ${options.metric}`);
  if (options.distance !== null && options.metric !== 'krippendorff-alpha') throw invalid(`--distance applies to krippendorff-alpha, not ${options.metric}`);
  if (options.distance !== null && options.level !== null && options.level !== 'nominal') {
    throw invalid(`--distance ${options.distance} replaces --level ${options.level}; give one of them`);
  }
  if (options.weights !== null && !WEIGHTED_METRICS.includes(options.metric)) {
    throw invalid(`--weights applies to ${WEIGHTED_METRICS.join(', ')}, not ${options.metric}`);
  }
  return options;
}

