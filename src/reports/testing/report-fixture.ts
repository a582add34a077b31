// A small, complete patient report for the pure specs: two deposits (one amended, one measured by
// X-ray then CT), labs, a drug, a lithotripsy and a watchful-waiting plan, and three alerts.

import type { EvaluationDto } from '../../visits/dto/evaluation.dto';
import type { PatientReportDto, ReportAlertDto, ReportDepositDto } from '../dto/patient-report.dto';
import { depositCourse } from '../../deposits/deposit-course';
import { areaMm2, volumeMm3 } from '../../visits/measurement.util';
import { methodClassOf } from '../../change-detection/types';

export const IDS = {
  clinic: '00000000-0000-4000-8000-0000000000c1',
  patient: '00000000-0000-4000-8000-000000000001',
  pulp: '00000000-0000-4000-8000-0000000000d1',
  elbow: '00000000-0000-4000-8000-0000000000d2',
  physician: '00000000-0000-4000-8000-0000000000a1',
  visit: (n: number) => `00000000-0000-4000-8000-00000000010${n}`,
  evaluation: (n: number) => `00000000-0000-4000-8000-00000000020${n}`,
};

const at = new Date('2025-08-01T09:00:00.000Z');

export function evaluationOf(n: number, depositId: string, visitDate: string, m: Partial<EvaluationDto> & Pick<EvaluationDto, 'method' | 'longestDiameterMm'>): EvaluationDto {
  const perpendicular = m.perpendicularDiameterMm ?? null;
  const depth = m.depthMm ?? null;
  return {
    id: IDS.evaluation(n),
    depositId,
    visitId: IDS.visit(n),
    visitDate,
    version: 1,
    perpendicularDiameterMm: perpendicular,
    depthMm: depth,
    areaMm2: areaMm2(m.longestDiameterMm, perpendicular),
    volumeMm3: volumeMm3(m.longestDiameterMm, perpendicular, depth),
    shape: null,
    margin: null,
    position: null,
    mobility: null,
    ulcerated: false,
    infectionSigns: false,
    inflammation: false,
    nerveCompression: false,
    drainage: 'none',
    painScore: null,
    notes: null,
    recordedBy: IDS.physician,
    recordedAt: at,
    ...m,
    methodClass: methodClassOf(m.method),
  };
}

function depositOf(id: string, label: string, evaluations: EvaluationDto[], extra: Partial<ReportDepositDto> = {}): ReportDepositDto {
  return {
    id,
    patientId: IDS.patient,
    label,
    site: 'finger',
    siteDetail: null,
    laterality: 'right',
    depth: 'subcutaneous',
    pattern: null,
    detectedBy: evaluations[0]?.method ?? 'caliper',
    priorProcedureSite: false,
    notedOn: evaluations[0]?.visitDate ?? '2025-01-10',
    status: 'active',
    version: 1,
    createdAt: at,
    updatedAt: at,
    evaluations,
    ...depositCourse(evaluations),
    amendments: [],
    ...extra,
  };
}

function alertOf(id: string, extra: Partial<ReportAlertDto>): ReportAlertDto {
  return {
    id,
    patientId: IDS.patient,
    depositId: null,
    rule: 'BURDEN_GROWTH',
    severity: 'warning',
    status: 'open',
    message: 'The total burden grew.',
    evidence: {},
    suggestedAction: { currentTier: 1, suggestedTier: 2, text: 'consider tier 2' },
    settingsVersion: 1,
    version: 1,
    createdAt: at,
    updatedAt: at,
    acknowledgedBy: null,
    acknowledgedAt: null,
    decision: null,
    note: null,
    resolvedBy: null,
    resolvedAt: null,
    resolvedByName: null,
    ...extra,
  };
}

export function reportFixture(overrides: Partial<PatientReportDto> = {}): PatientReportDto {
  const pulpEvaluations = [
    evaluationOf(1, IDS.pulp, '2025-01-10', { method: 'caliper', longestDiameterMm: 10, perpendicularDiameterMm: 8, depthMm: 6, painScore: 2 }),
    evaluationOf(2, IDS.pulp, '2025-04-12', { method: 'caliper', longestDiameterMm: 9, painScore: 3, version: 2 }),
    evaluationOf(3, IDS.pulp, '2025-07-15', { method: 'caliper', longestDiameterMm: 13, ulcerated: true, drainage: 'chalky', notes: 'chalky discharge, line 1\nline 2' }),
  ];
  const elbowEvaluations = [
    evaluationOf(4, IDS.elbow, '2025-01-10', { method: 'xray', longestDiameterMm: 15 }),
    evaluationOf(5, IDS.elbow, '2025-04-12', { method: 'ct', longestDiameterMm: 14 }),
    evaluationOf(6, IDS.elbow, '2025-07-15', { method: 'ultrasound', longestDiameterMm: 12 }),
  ];
  const pulp = depositOf(IDS.pulp, 'R index pulp', pulpEvaluations, {
    siteDetail: 'volar pulp',
    amendments: [
      { ...pulpEvaluations[1], version: 1, longestDiameterMm: 8, reason: null, recordedByName: 'Dr. Test' },
      { ...pulpEvaluations[1], version: 2, reason: 'transcription error: 9 mm, not 8 mm', recordedByName: 'Dr. Test' },
    ],
  });
  const elbow = depositOf(IDS.elbow, 'L olecranon', elbowEvaluations, { site: 'elbow', laterality: 'left', depth: 'periarticular', pattern: 'tumoral' });
  return {
    generatedAt: '2025-08-01T09:00:00.000Z',
    patient: {
      id: IDS.patient,
      mrn: 'MRN-0001',
      name: 'Ada Example',
      birthDate: '1970-05-01',
      sex: 'female',
      conditions: ['systemic-sclerosis-limited', 'chronic-kidney-disease', 'other'],
      calcinosisType: 'dystrophic',
      familyHistory: false,
      responsiblePhysicianId: IDS.physician,
      version: 1,
      createdAt: at,
      updatedAt: at,
    },
    deposits: [pulp, elbow],
    visits: [1, 2, 3].map((n) => ({
      id: IDS.visit(n),
      patientId: IDS.patient,
      visitDate: pulpEvaluations[n - 1].visitDate,
      evaluations: [pulpEvaluations[n - 1], elbowEvaluations[n - 1]],
      newDepositIds: n === 1 ? [IDS.pulp, IDS.elbow] : [],
      labResultIds: [],
      createdBy: IDS.physician,
      createdAt: at,
    })),
    labs: [
      {
        id: '00000000-0000-4000-8000-000000000301',
        patientId: IDS.patient,
        visitId: IDS.visit(2),
        collectedOn: '2025-04-12',
        calciumMgDl: 10.42,
        albuminGDl: 3,
        phosphateMgDl: 4.65,
        pthPgMl: 65,
        vitaminDNgMl: 28,
        egfrMlMin173m2: 55,
        correctedCalciumMgDl: 11.22,
        calciumPhosphateProduct: 48.41,
        entered: { calcium: { value: 2.6, unit: 'mmol/L' } },
        createdAt: at,
      },
    ],
    treatments: [
      { id: '00000000-0000-4000-8000-000000000401', patientId: IDS.patient, depositId: null, kind: 'colchicine', tier: 1, startedOn: '2025-01-15', endedOn: null, dose: '0.5 mg twice daily', route: 'oral', outcome: null, version: 1, createdAt: at, updatedAt: at },
      { id: '00000000-0000-4000-8000-000000000402', patientId: IDS.patient, depositId: IDS.elbow, kind: 'lithotripsy', tier: 3, startedOn: '2025-05-01', endedOn: '2025-06-01', dose: null, route: null, outcome: 'partial fragmentation', version: 1, createdAt: at, updatedAt: at },
      { id: '00000000-0000-4000-8000-000000000403', patientId: IDS.patient, depositId: null, kind: 'watchful-waiting', tier: 0, startedOn: '2024-06-01', endedOn: '2025-01-14', dose: null, route: null, outcome: null, version: 1, createdAt: at, updatedAt: at },
    ],
    alerts: [
      alertOf('00000000-0000-4000-8000-000000000501', { rule: 'COMPLICATION', severity: 'high', depositId: IDS.pulp, message: 'R index pulp is newly ulcerated and drains chalky material.' }),
      alertOf('00000000-0000-4000-8000-000000000502', {
        rule: 'LAB_ABNORMAL',
        status: 'resolved',
        decision: 'continue',
        note: 'Re-check in 3 months.',
        resolvedBy: IDS.physician,
        resolvedByName: 'Dr. Test',
        resolvedAt: new Date('2025-04-20T10:00:00.000Z'),
        message: 'Corrected calcium 11.2 mg/dL is above 10.2 mg/dL.',
      }),
      alertOf('00000000-0000-4000-8000-000000000503', { rule: 'OVERDUE_REVIEW', severity: 'info', status: 'acknowledged', depositId: IDS.elbow, message: 'L olecranon has not been evaluated for 12 months.' }),
    ],
    ...overrides,
  };
}
