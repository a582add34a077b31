import type { BenchSession } from './http';
import type { NextRequest } from './load';
import type { VisitPatient } from './seed';

/** Yesterday (UTC): a visit date is never in the future, whatever the time zone of the check. */
export function visitDate(now = new Date()): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/** The body of one visit: each of the patient's 3 deposits measured within its noise (±0.4 mm), as the seed did. */
export function visitBody(patient: VisitPatient, date: string, n: number): string {
  return JSON.stringify({
    visitDate: date,
    evaluations: patient.deposits.map((d, i) => ({
      depositId: d.id,
      method: 'caliper',
      longestDiameterMm: Math.round((d.baseMm + (((n + i) % 5) - 2) * 0.2) * 10) / 10,
      perpendicularDiameterMm: 5,
      depthMm: 2.5,
      shape: 'oval',
      margin: 'well-defined',
      position: { landmark: 'distal crease', xMm: 0, yMm: 5 },
      mobility: 'fixed',
      painScore: 3,
    })),
  });
}

/**
 * Visits round-robin over the patient pools (one pool per clinic; clinics taken in turn), each
 * request by the next user of the patient's clinic: consecutive requests never share a patient,
 * and every user stays far under the per-user rate limit.
 */
export function visitRequests(pools: VisitPatient[][], sessionsByClinic: Map<string, BenchSession[]>, date = visitDate()): { next: () => NextRequest; count: () => number } {
  let n = 0;
  const cursors = pools.map(() => 0);
  const userCursor = new Map<string, number>();
  return {
    count: () => n,
    next: () => {
      const c = n % pools.length;
      const pool = pools[c];
      const patient = pool[cursors[c]++ % pool.length];
      const sessions = sessionsByClinic.get(patient.clinicId)!;
      const u = userCursor.get(patient.clinicId) ?? 0;
      userCursor.set(patient.clinicId, u + 1);
      const body = visitBody(patient, date, n++);
      return { method: 'POST', path: `/api/v1/patients/${patient.patientId}/visits`, token: sessions[u % sessions.length].accessToken, body };
    },
  };
}

/** Inbox pages of one clinic, each by the next user; `cursor` asks for a deeper page. */
export function inboxRequests(sessions: BenchSession[], cursor?: string): () => NextRequest {
  let n = 0;
  const path = `/api/v1/alerts?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  return () => ({ method: 'GET', path, token: sessions[n++ % sessions.length].accessToken });
}

export function bySessionClinic(sessions: BenchSession[]): Map<string, BenchSession[]> {
  const map = new Map<string, BenchSession[]>();
  for (const s of sessions) map.set(s.clinicId, [...(map.get(s.clinicId) ?? []), s]);
  return map;
}
