// LAB_ABNORMAL (patient-level) — albumin-corrected calcium above correctedCalciumMaxMgDl
// (warning), or the Ca×P product at or above caPhosWarning (warning) or caPhosHigh (high). One
// finding at the highest severity found. It suggests re-checking the calcinosis type (metastatic?)
// and never an escalation: the suggested tier is the current patient-wide one. Missing or
// non-finite values are ignored.

import { roundTo } from '../format';
import { holdAction } from '../suggested-action';
import { currentTier } from '../tiers';
import type { Finding, LabPoint, RuleContext, RuleSettings, Severity } from '../types';

interface Abnormality {
  key: 'correctedCalcium' | 'calciumPhosphateProduct';
  value: number;
  threshold: number;
  severity: Severity;
  text: string;
}

function finite(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function calciumAbnormality(lab: LabPoint, settings: RuleSettings): Abnormality | null {
  const value = lab.correctedCalciumMgDl;
  if (!finite(value) || value <= settings.correctedCalciumMaxMgDl) return null;
  return {
    key: 'correctedCalcium',
    value,
    threshold: settings.correctedCalciumMaxMgDl,
    severity: 'warning',
    text: `corrected calcium ${roundTo(value, 1)} mg/dL (above ${settings.correctedCalciumMaxMgDl})`,
  };
}

function productAbnormality(lab: LabPoint, settings: RuleSettings): Abnormality | null {
  const value = lab.calciumPhosphateProduct;
  if (!finite(value) || value < settings.caPhosWarning) return null;
  const high = value >= settings.caPhosHigh;
  const threshold = high ? settings.caPhosHigh : settings.caPhosWarning;
  return {
    key: 'calciumPhosphateProduct',
    value,
    threshold,
    severity: high ? 'high' : 'warning',
    text: `Ca×P ${roundTo(value, 1)} mg²/dL² (at or above ${threshold})`,
  };
}

export function labAbnormalRule(lab: LabPoint | null, ctx: RuleContext, settings: RuleSettings): Finding | null {
  if (lab === null) return null;
  const found = [calciumAbnormality(lab, settings), productAbnormality(lab, settings)].filter(
    (abnormality): abnormality is Abnormality => abnormality !== null,
  );
  if (found.length === 0) return null;
  return {
    rule: 'LAB_ABNORMAL',
    depositId: null,
    severity: found.some((abnormality) => abnormality.severity === 'high') ? 'high' : 'warning',
    message:
      `Lab of ${lab.collectedOn} shows ${found.map((abnormality) => abnormality.text).join(' and ')}; ` +
      're-check whether the calcinosis is metastatic',
    evidence: {
      labId: lab.id,
      collectedOn: lab.collectedOn,
      correctedCalciumMgDl: lab.correctedCalciumMgDl,
      calciumPhosphateProduct: lab.calciumPhosphateProduct,
      abnormal: found.map(({ key, value, threshold, severity }) => ({ key, value, threshold, severity })),
      thresholds: {
        correctedCalciumMaxMgDl: settings.correctedCalciumMaxMgDl,
        caPhosWarning: settings.caPhosWarning,
        caPhosHigh: settings.caPhosHigh,
      },
      settingsVersion: ctx.settingsVersion,
    },
    suggestedAction: holdAction(
      currentTier(ctx.treatments, ctx.visitDate, null).tier,
      'No escalation: re-check the calcinosis type (metastatic?).',
    ),
  };
}
