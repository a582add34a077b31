import type { Deposit, Evaluation, VisitCreated } from '../api/types';

const ids = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function evaluation(overrides: Partial<Evaluation> = {}): Evaluation {
  return {
    id: ids(900),
    depositId: ids(101),
    visitId: ids(500),
    visitDate: '2026-10-01',
    version: 1,
    method: 'caliper',
    methodClass: 'clinical',
    longestDiameterMm: 14,
    perpendicularDiameterMm: 9,
    depthMm: null,
    areaMm2: 98.96,
    volumeMm3: null,
    shape: 'irregular',
    margin: 'well-defined',
    position: null,
    mobility: null,
    ulcerated: true,
    infectionSigns: false,
    inflammation: false,
    nerveCompression: false,
    drainage: 'chalky',
    painScore: 6,
    notes: null,
    recordedBy: ids(1),
    recordedAt: '2026-10-01T10:00:00.000Z',
    ...overrides,
  };
}

export function deposit(overrides: Partial<Deposit> = {}): Deposit {
  return {
    id: ids(101),
    patientId: ids(200),
    label: 'R index pulp',
    site: 'finger',
    siteDetail: null,
    laterality: 'right',
    depth: 'subcutaneous',
    pattern: null,
    detectedBy: 'caliper',
    priorProcedureSite: false,
    notedOn: '2025-02-01',
    status: 'active',
    version: 1,
    createdAt: '2025-02-01T10:00:00.000Z',
    updatedAt: '2025-02-01T10:00:00.000Z',
    latestEvaluation: evaluation(),
    ...overrides,
  };
}

export const FINGER = deposit();
export const ELBOW = deposit({
  id: ids(102),
  label: 'L olecranon',
  site: 'elbow',
  laterality: 'left',
  depth: 'periarticular',
  detectedBy: 'xray',
  latestEvaluation: evaluation({ id: ids(901), depositId: ids(102), method: 'xray', methodClass: 'radiographic', longestDiameterMm: 15, perpendicularDiameterMm: null, shape: null, margin: null, ulcerated: false, drainage: 'none', painScore: null }),
});

export function visitCreated(overrides: Partial<VisitCreated> = {}): VisitCreated {
  return {
    id: ids(501),
    patientId: ids(200),
    visitDate: '2026-12-01',
    evaluations: [],
    newDepositIds: [],
    labs: null,
    alerts: [],
    createdBy: ids(1),
    createdAt: '2026-12-01T10:00:00.000Z',
    ...overrides,
  };
}
