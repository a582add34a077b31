import { describe, expect, it } from '@jest/globals';
import type { Alert } from '../alerts/alert.entity';
import type { Deposit } from '../deposits/deposit.entity';
import type { LabResult } from '../labs/lab-result.entity';
import type { Patient } from '../patients/patient.entity';
import type { Treatment } from '../treatments/treatment.entity';
import type { EvaluationVersion } from '../visits/evaluation-version.entity';
import type { Evaluation } from '../visits/evaluation.entity';
import type { Visit } from '../visits/visit.entity';
import type { PatientRecords } from './report.loader';
import { toPatientReport } from './report.mapper';

const at = new Date('2025-07-20T08:00:00.000Z');
const ids = { clinic: 'c1', patient: 'p1', pulp: 'd1', thumb: 'd2', v1: 'v1', v2: 'v2', e1: 'e1', e2: 'e2', e3: 'e3', lab: 'l1', user: 'u1', unknownUser: 'u2' };

function evaluation(id: string, depositId: string, visitId: string, visitDate: string, longestDiameterMm: number, version = 1): Evaluation {
  return {
    id, clinicId: ids.clinic, patientId: ids.patient, depositId, visitId, visitDate, seq: id, version, method: 'caliper', longestDiameterMm,
    perpendicularDiameterMm: 8, depthMm: null, shape: null, margin: null, landmark: null, xMm: null, yMm: null, mobility: null,
    ulcerated: false, infectionSigns: false, inflammation: false, nerveCompression: false, drainage: 'none', painScore: null, notes: null,
    recordedBy: ids.user, recordedAt: at, createdAt: at,
  };
}

function deposit(id: string, label: string, firstVisitId: string): Deposit {
  return {
    id, clinicId: ids.clinic, patientId: ids.patient, label, site: 'finger', siteDetail: null, laterality: 'right', depth: 'subcutaneous', pattern: null,
    detectedBy: 'caliper', priorProcedureSite: false, notedOn: '2025-01-10', status: 'active', firstVisitId, seq: id, version: 1, createdAt: at, updatedAt: at,
  };
}

function records(): PatientRecords {
  const e2 = evaluation(ids.e2, ids.pulp, ids.v2, '2025-04-12', 9, 2);
  return {
    patient: {
      id: ids.patient, clinicId: ids.clinic, mrn: 'MRN-1', name: 'Ada Example', birthDate: '1970-05-01', sex: 'female', conditions: ['dermatomyositis'],
      calcinosisType: 'dystrophic', familyHistory: false, responsiblePhysicianId: null, version: 1, createdAt: at, updatedAt: at,
    } as Patient,
    deposits: [deposit(ids.pulp, 'R index pulp', ids.v1), deposit(ids.thumb, 'L thumb', ids.v2)],
    evaluations: [evaluation(ids.e1, ids.pulp, ids.v1, '2025-01-10', 10), e2, evaluation(ids.e3, ids.thumb, ids.v2, '2025-04-12', 6)],
    versions: [
      { id: 'ver1', clinicId: ids.clinic, evaluationId: ids.e2, version: 1, data: { ...e2, longestDiameterMm: 8 }, reason: null, recordedBy: ids.user, recordedAt: at },
      { id: 'ver2', clinicId: ids.clinic, evaluationId: ids.e2, version: 2, data: e2, reason: 'typo', recordedBy: ids.unknownUser, recordedAt: at },
    ] as EvaluationVersion[],
    visits: [
      { id: ids.v1, clinicId: ids.clinic, patientId: ids.patient, visitDate: '2025-01-10', createdBy: ids.user, createdAt: at },
      { id: ids.v2, clinicId: ids.clinic, patientId: ids.patient, visitDate: '2025-04-12', createdBy: ids.user, createdAt: at },
    ] as Visit[],
    labs: [{ id: ids.lab, clinicId: ids.clinic, patientId: ids.patient, visitId: ids.v2, collectedOn: '2025-04-12', calciumMgDl: 10.4, egfrMlMin: 80 } as LabResult],
    treatments: [{ id: 't1', clinicId: ids.clinic, patientId: ids.patient, depositId: null, kind: 'lithotripsy', startedOn: '2025-02-01', endedOn: null } as Treatment],
    alerts: [
      { id: 'a1', patientId: ids.patient, depositId: null, rule: 'NEW_DEPOSIT', status: 'resolved', decision: 'dismiss', note: 'known', resolvedBy: ids.user } as Alert,
      { id: 'a2', patientId: ids.patient, depositId: ids.pulp, rule: 'PAIN_INCREASE', status: 'open', decision: null, resolvedBy: null } as Alert,
    ],
    userNames: new Map([[ids.user, 'Dr. Test']]),
  };
}

describe('the JSON report of a patient', () => {
  it('gives each deposit its evaluations, course and the versions of its amended evaluations, each with the name of who recorded it', () => {
    const report = toPatientReport(records(), at);
    expect(report.generatedAt).toBe('2025-07-20T08:00:00.000Z');
    const [pulp, thumb] = report.deposits;
    expect(pulp.evaluations.map((e) => [e.id, e.longestDiameterMm, e.areaMm2])).toEqual([
      [ids.e1, 10, 62.83],
      [ids.e2, 9, 56.55],
    ]);
    expect(pulp).toMatchObject({ baseline: { id: ids.e1 }, nadir: { id: ids.e2 }, latest: { id: ids.e2 }, changeSinceBaseline: { mm: -1, percent: -10 }, methodClass: 'clinical' });
    expect(pulp.amendments.map((v) => [v.id, v.version, v.longestDiameterMm, v.reason, v.recordedBy, v.recordedByName])).toEqual([
      [ids.e2, 1, 8, null, ids.user, 'Dr. Test'],
      [ids.e2, 2, 9, 'typo', ids.unknownUser, null],
    ]);
    expect(thumb.amendments).toEqual([]);
    expect(thumb.evaluations.map((e) => e.id)).toEqual([ids.e3]);
  });

  it('lists visits oldest first with the deposits they first recorded and their labs', () => {
    const report = toPatientReport(records(), at);
    expect(report.visits.map((v) => [v.visitDate, v.evaluations.length, v.newDepositIds, v.labResultIds])).toEqual([
      ['2025-01-10', 1, [ids.pulp], []],
      ['2025-04-12', 2, [ids.thumb], [ids.lab]],
    ]);
  });

  it('gives treatments their tier, labs their conventional names, and a decided alert the name of who decided', () => {
    const report = toPatientReport(records(), at);
    expect(report.treatments[0]).toMatchObject({ kind: 'lithotripsy', tier: 3 });
    expect(report.labs[0]).toMatchObject({ calciumMgDl: 10.4, egfrMlMin173m2: 80 });
    expect(report.alerts.map((a) => [a.rule, a.decision, a.note, a.resolvedByName])).toEqual([
      ['NEW_DEPOSIT', 'dismiss', 'known', 'Dr. Test'],
      ['PAIN_INCREASE', null, undefined, null],
    ]);
  });

  it('a patient with nothing recorded yet has empty lists', () => {
    const empty = { ...records(), deposits: [], evaluations: [], versions: [], visits: [], labs: [], treatments: [], alerts: [] };
    const report = toPatientReport(empty, at);
    expect(report).toMatchObject({ deposits: [], visits: [], labs: [], treatments: [], alerts: [], patient: { mrn: 'MRN-1' } });
  });
});
