// De-duplication (SPEC "Change detection"): at most one open or acknowledged alert per (patient,
// deposit, rule). A finding for which one is open updates it (its old evidence is kept) and may
// raise, never lower, its severity; a finding identical to what the alert already says changes
// nothing. The database writer (src/alerts/alert-writer.ts) and the rule simulator both decide with
// these functions, so the simulator counts alerts exactly as the API creates them.

import { isDeepStrictEqual } from 'node:util';
import { SEVERITIES, type Finding, type Severity } from './types';

export type WriteOutcome = 'raised' | 'updated' | 'unchanged';

/** What an open (or acknowledged) alert says now. */
export interface OpenAlertState {
  severity: Severity;
  message: string;
  evidence: Record<string, unknown>;
}

export function writeOutcomeOf(open: OpenAlertState | null, finding: Finding): WriteOutcome {
  if (open === null) return 'raised';
  // jsonb does not keep key order: compare values, not their JSON text
  return open.message === finding.message && isDeepStrictEqual(open.evidence, finding.evidence) ? 'unchanged' : 'updated';
}

/** The severity after an update: the higher of the two. */
export function updatedSeverity(open: Severity, finding: Severity): Severity {
  return SEVERITIES.indexOf(finding) > SEVERITIES.indexOf(open) ? finding : open;
}

/** One patient's open alerts, in memory (the simulator's stand-in for the alerts table; nobody resolves them). */
export class OpenAlertLedger {
  private readonly open = new Map<string, OpenAlertState>();

  write(finding: Finding): WriteOutcome {
    const key = `${finding.rule}|${finding.depositId ?? ''}`;
    const existing = this.open.get(key) ?? null;
    const outcome = writeOutcomeOf(existing, finding);
    if (outcome !== 'unchanged') {
      const severity = existing === null ? finding.severity : updatedSeverity(existing.severity, finding.severity);
      this.open.set(key, { severity, message: finding.message, evidence: finding.evidence });
    }
    return outcome;
  }
}
