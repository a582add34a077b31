import type { Schema } from './openapi';
import { isoDay, todayIso } from './values';

/**
 * Business hints: rules the server enforces that the OpenAPI document does not express (a
 * visit's deposit must be the patient's, a lab needs an analyte, `endedOn` ≥ `startedOn`, …). They
 * turn a schema-valid body into one that can succeed, so the fuzzing reaches the handlers. Hints
 * are keyed by property name and by component schema name: a schema they do not know is fuzzed
 * from the document alone.
 */

export interface HintContext {
  /** deterministic randomness for the hint's own choices */
  rand: () => number;
  /** deposits of the patient the request is about (path patient, or the target record's patient) */
  deposits: string[];
  /** deposits of other patients of the clinic, and of another clinic (for depositId bodies that must fail) */
  strayDeposits: string[];
  physicianId: string;
  /** users who are not a physician of the clinic (its staff, another clinic's physician) */
  notPhysicians: string[];
  unique: (prefix: string) => string;
  login: { email: string; password: string };
  /** a wrong-credentials account (mutated login bodies target it, never the account that must stay usable) */
  lockoutEmail: string;
  refreshToken: () => string | null;
  staleRefreshToken: () => string | null;
  bodyClass: 'valid' | 'mutated';
}

/** Lengths the validators enforce (several are not in the document; see the request-contract suite). */
export const TEXT_LIMITS: Record<string, number> = {
  mrn: 64, name: 200, label: 200, siteDetail: 500, landmark: 200, notes: 4000, note: 4000, reason: 2000, dose: 200, route: 100, outcome: 2000,
  specialty: 100, email: 254, password: 200, description: 500,
};

const PLAUSIBLE: Record<string, Record<string, [number, number]>> = {
  calcium: { 'mg/dL': [6, 14], 'mmol/L': [1.5, 3.5] },
  albumin: { 'g/dL': [1.5, 5.5], 'g/L': [15, 55] },
  phosphate: { 'mg/dL': [1, 9], 'mmol/L': [0.4, 3] },
  pth: { 'pg/mL': [5, 900], 'ng/L': [5, 900], 'pmol/L': [0.5, 95] },
  vitaminD: { 'ng/mL': [5, 120], 'nmol/L': [12, 300] },
  egfr: { 'mL/min/1.73m2': [5, 140] },
};
const ANALYTES = Object.keys(PLAUSIBLE);

const ORDERED_SETTINGS: [string, string][] = [
  ['growthPercent', 'growthHighPercent'],
  ['growthMm', 'growthHighMm'],
  ['caPhosWarning', 'caPhosHigh'],
];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const round2 = (n: number) => Math.round(n * 100) / 100;

function pick<T>(ctx: HintContext, xs: T[]): T | undefined {
  return xs.length ? xs[Math.floor(ctx.rand() * xs.length)] : undefined;
}

function cleanText(v: string, limit: number | undefined): string {
  // no NUL, no unpaired surrogate: valid bodies carry well-formed text (the mutations send the rest)
  let out = v.split('\u0000').join('').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
  if (limit !== undefined && [...out].length > limit) out = [...out].slice(0, limit).join('');
  if (!out.trim()) out = 'fuzz text';
  return out;
}

function validDate(v: unknown, ctx: HintContext): string {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && v >= '1900-01-01' && v <= todayIso()) return v;
  return isoDay(Date.now() - Math.floor(ctx.rand() * 3 * 365) * 86_400_000);
}

/** The hinted copy of a value (the value itself is not changed). */
export function applyHints(value: unknown, schema: Schema | null | undefined, ctx: HintContext, name = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => applyHints(v, schema?.items, ctx, name));
    return name === 'conditions' ? [...new Set(items)] : items;
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = applyHints(v, schema?.properties?.[k], ctx, k);
    return objectHints(out, schema, ctx);
  }
  return fieldHint(value, schema, ctx, name);
}

function fieldHint(value: unknown, schema: Schema | null | undefined, ctx: HintContext, name: string): unknown {
  if (value === null) return null;
  switch (name) {
    case 'email':
      return ctx.unique('fuzz-user') + '@fuzz.test';
    case 'mrn':
      return ctx.unique('MRN');
    case 'password':
      return typeof value === 'string' && [...value].length >= 12 ? cleanText(value, 200) : `fuzz-password-${Math.floor(ctx.rand() * 1e9)}`;
    case 'depositId': {
      const r = ctx.rand();
      if (r < 0.96 || !ctx.strayDeposits.length) return pick(ctx, ctx.deposits) ?? pick(ctx, ctx.strayDeposits) ?? value;
      return pick(ctx, ctx.strayDeposits);
    }
    case 'responsiblePhysicianId': {
      // mostly the clinic's physician; sometimes someone who is not one (a 400)
      const r = ctx.rand();
      return r < 0.88 ? ctx.physicianId : r < 0.94 ? null : (pick(ctx, ctx.notPhysicians) ?? ctx.physicianId);
    }
    case 'url': {
      // a webhook target: mostly 127.0.0.1:9 (allowed by the tests' WEBHOOK_ALLOW_HOSTS; nothing listens there); now and then what the fuzzer made
      const r = ctx.rand();
      return r < 0.9 || typeof value !== 'string' ? `http://127.0.0.1:9/fuzz/${ctx.unique('hook')}` : value;
    }
    case 'refreshToken':
      return (ctx.rand() < 0.9 ? ctx.refreshToken() : ctx.staleRefreshToken()) ?? ctx.refreshToken() ?? value;
    case 'painScore':
      return typeof value === 'number' ? Math.max(0, Math.min(10, Math.round(value))) : value;
    case 'xMm':
    case 'yMm':
      return typeof value === 'number' ? Math.max(-2000, Math.min(2000, value)) : value;
    case 'perpendicularDiameterMm':
    case 'depthMm':
    case 'longestDiameterMm':
      // (0, 1000] mm: the amendment schema documents neither bound
      return typeof value === 'number' ? (value <= 0 ? 1 : Math.min(value, 1000)) : value;
  }
  if (schema?.format === 'date' && typeof value === 'string') return validDate(value, ctx);
  if (typeof value === 'string' && !schema?.enum && !schema?.format) return cleanText(value, TEXT_LIMITS[name] ?? schema?.maxLength);
  return value;
}

function ensureAnalyte(lab: Record<string, unknown>, ctx: HintContext): void {
  if (ANALYTES.some((a) => lab[a] != null)) return;
  const analyte = pick(ctx, ANALYTES)!;
  const unit = Object.keys(PLAUSIBLE[analyte])[0];
  lab[analyte] = { value: PLAUSIBLE[analyte][unit][0], unit };
}

function objectHints(obj: Record<string, unknown>, schema: Schema | null | undefined, ctx: HintContext): Record<string, unknown> {
  const name = schema?.name ?? '';
  // a lab analyte `{value, unit}`: a value plausible for its unit
  const analyte = /^(Calcium|Albumin|Phosphate|Pth|VitaminD|Egfr)InputDto$/.exec(name)?.[1];
  if (analyte) {
    const key = analyte[0].toLowerCase() + analyte.slice(1);
    const range = PLAUSIBLE[key]?.[String(obj.unit)];
    if (range && typeof obj.value === 'number' && (obj.value < range[0] || obj.value > range[1])) obj.value = round2(range[0] + ctx.rand() * (range[1] - range[0]));
  }
  switch (name) {
    case 'LabInputDto':
    case 'VisitLabInputDto':
      ensureAnalyte(obj, ctx);
      break;
    case 'CreateVisitDto': {
      const evaluations = Array.isArray(obj.evaluations) ? (obj.evaluations as Record<string, unknown>[]) : [];
      const seen = new Set<unknown>();
      obj.evaluations = evaluations.filter((e) => !isObject(e) || (!seen.has(e.depositId) && seen.add(e.depositId)));
      const newDeposits = Array.isArray(obj.newDeposits) ? (obj.newDeposits as Record<string, unknown>[]) : [];
      for (const d of newDeposits) if (isObject(d) && typeof d.notedOn === 'string' && typeof obj.visitDate === 'string' && d.notedOn > obj.visitDate) d.notedOn = obj.visitDate;
      if (!(obj.evaluations as unknown[]).length && !newDeposits.length) {
        const depositId = pick(ctx, ctx.deposits);
        if (depositId) obj.evaluations = [{ depositId, method: 'caliper', longestDiameterMm: round2(3 + ctx.rand() * 20) }];
        else obj.newDeposits = [{ label: 'fuzz deposit', site: 'hand', laterality: 'left', depth: 'subcutaneous', detectedBy: 'caliper', evaluation: { method: 'caliper', longestDiameterMm: 5 } }];
      }
      if (isObject(obj.labs)) ensureAnalyte(obj.labs, ctx);
      break;
    }
    case 'CreateTreatmentDto':
    case 'UpdateTreatmentDto':
      if (typeof obj.startedOn === 'string' && typeof obj.endedOn === 'string' && obj.endedOn < obj.startedOn) [obj.startedOn, obj.endedOn] = [obj.endedOn, obj.startedOn];
      if (name === 'UpdateTreatmentDto') {
        // the stored startedOn is unknown here: an end of today is never before it, a start long ago never after the stored end
        if (typeof obj.endedOn === 'string' && obj.startedOn === undefined) obj.endedOn = todayIso();
        if (typeof obj.startedOn === 'string' && obj.endedOn === undefined) obj.startedOn = '2000-01-01';
      }
      break;
    case 'ResolveAlertDto':
      if (obj.decision === 'dismiss' && (typeof obj.note !== 'string' || !obj.note.trim())) obj.note = 'reviewed: not clinically relevant';
      break;
    case 'UpdateRuleSettingsDto':
      for (const [low, high] of ORDERED_SETTINGS) {
        const lowSchema = schema?.properties?.[low];
        const highSchema = schema?.properties?.[high];
        if (obj[low] === undefined && obj[high] === undefined) continue;
        if (obj[low] === undefined) obj[low] = lowSchema?.minimum ?? 0;
        if (obj[high] === undefined) obj[high] = highSchema?.maximum ?? obj[low];
        if (typeof obj[low] === 'number' && typeof obj[high] === 'number' && (obj[high] as number) < (obj[low] as number)) [obj[low], obj[high]] = [obj[high], obj[low]];
      }
      break;
    case 'LoginDto':
      if (ctx.bodyClass === 'mutated') {
        obj.email = ctx.lockoutEmail;
      } else {
        obj.email = ctx.rand() < 0.2 ? ctx.login.email.toUpperCase() : ctx.login.email;
        obj.password = ctx.login.password;
      }
      break;
    case 'UpdateUserDto':
      // every password change costs an argon2 hash (~30 ms): keep them a minority
      if (obj.password !== undefined && ctx.rand() < 0.7) delete obj.password;
      break;
  }
  return obj;
}
