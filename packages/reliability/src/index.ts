/**
 * @concord/reliability: inter-coder reliability measures on typed arrays.
 * Pure TypeScript, no runtime dependencies, runs in Node and in browsers.
 */
export { ReliabilityError, isReliabilityError, type ReliabilityErrorCode, type SourcePosition } from './errors.ts';
export {
  MISSING,
  createReliabilityData,
  fromRows,
  fromSetRows,
  orderCategories,
  parseNumber,
  selectCoders,
  selectUnits,
  type Cell,
  type CreateReliabilityDataInput,
  type ReliabilityData,
  type SetReliabilityData,
} from './reliability-data.ts';
export { parseReliabilityCsv, forEachCsvRow, type CsvLayout, type CsvLayoutChoice, type ParseReliabilityCsvOptions, type ParsedReliabilityCsv } from './parse.ts';
export { coincidenceMatrix, pairableCounts, type CoincidenceMatrix } from './coincidence-matrix.ts';
export {
  intervalDistance,
  jaccardDistance,
  masiDistance,
  multiValuedNominalDistance,
  nominalDistance,
  ordinalDistance,
  ratioDistance,
  type AlphaLevel,
  type CategoryDistance,
  type SetDistance,
} from './distance.ts';
export { krippendorffAlpha, type AlphaResult, type KrippendorffAlphaInput } from './krippendorff-alpha.ts';
export { multiValuedAlpha, setAlpha, type SetAlphaInput, type SetAlphaResult, type SetDistanceName } from './set-alpha.ts';
export { alphaByHierarchyLevel, type AlphaByHierarchyInput, type HierarchyLevelAlpha } from './hierarchy.ts';
export { alphaDiagnostics, perCategoryAlpha, type AlphaDiagnostics } from './diagnostics.ts';
export { percentAgreement, holsti, type PercentAgreementResult } from './percent-agreement.ts';
export { cohenKappa, type CohenKappaResult } from './cohen-kappa.ts';
export { scottPi } from './scott-pi.ts';
export { fleissKappa, type WeightedInput } from './fleiss-kappa.ts';
export { brennanPrediger } from './brennan-prediger.ts';
export { gwetAC } from './gwet-ac.ts';
export { agreementWeights, type WeightScheme } from './weights.ts';
export type { AgreementResult } from './multi-rater.ts';
export {
  bootstrapAlpha,
  bootstrapResample,
  bootstrapStatistic,
  quantileSorted,
  DEFAULT_REPLICATES,
  type BootstrapAlphaInput,
  type BootstrapResampleInput,
  type BootstrapOptions,
  type BootstrapResult,
} from './bootstrap.ts';
export { createRandom, type RandomSource } from './random.ts';
export {
  bootstrapUnitizingAlpha,
  unitizingAlpha,
  type Continuum,
  type PerValueAlpha,
  type Unit,
  type UnitizingAlphaInput,
  type UnitizingAlphaResult,
  type UnitizingCoefficient,
  type UnitizingBootstrap,
} from './unitizing-alpha.ts';
export { positionalDistance, unitizingAlpha2004, type CategoryAlpha2004, type CategoryUnit, type UnitizingAlpha2004Input, type UnitizingAlpha2004Result } from './unitizing-alpha-2004.ts';
export {
  checkModel,
  modelFromPilot,
  simulateCodings,
  valueCount,
  type CodingModel,
  type PilotModel,
  type PlannerField,
} from './planner-simulation.ts';
export {
  candidateSeed,
  evaluateCandidate,
  planReliability,
  planReliabilityAsync,
  PLANNER_DEFAULTS,
  type CandidateSettings,
  type PlanCandidate,
  type PlanEvaluation,
  type PlanReliabilityInput,
  type ReliabilityPlan,
} from './reliability-planner.ts';
