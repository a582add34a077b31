import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AlertsService } from '../alerts/alerts.service';
import type { AlertQueryDto } from '../alerts/dto/alert-query.dto';
import type { AlertPageDto } from '../alerts/dto/alert.dto';
import type { AuthUser } from '../auth/auth-user';
import { provisionClinicIn } from '../clinics/clinic-provisioning';
import { lockStartUpData } from '../database/advisory-locks';
import { inTenantScope } from '../database/tenant-context';
import type { NewDepositDto } from '../deposits/dto/deposit-input.dto';
import { LabsService } from '../labs/labs.service';
import { PatientsService } from '../patients/patients.service';
import { TreatmentsService } from '../treatments/treatments.service';
import { createUser } from '../users/users.service';
import type { EvaluationInputDto, MeasurementInputDto } from '../visits/dto/evaluation-input.dto';
import type { CreateVisitDto } from '../visits/dto/visit.dto';
import { VisitsService } from '../visits/visits.service';

export const DEMO_PASSWORD = 'calcitrack-demo';
export const DEMO_USERS = ['admin@demo.local', 'physician@demo.local', 'staff@demo.local'];

/** A date `months` before today (UTC), so the demo history always ends in the recent past. */
function monthsAgo(months: number, today = new Date()): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - months, Math.min(today.getUTCDate(), 28)));
  return d.toISOString().slice(0, 10);
}

const caliper = (mm: number, extra: Partial<MeasurementInputDto> = {}): MeasurementInputDto => ({ method: 'caliper', longestDiameterMm: mm, ...extra });
const ultrasound = (mm: number, extra: Partial<MeasurementInputDto> = {}): MeasurementInputDto => ({ method: 'ultrasound', longestDiameterMm: mm, ...extra });

/**
 * The demo clinic, on the bundled database's first start: three patients whose histories show the
 * product at work — growth confirmed by trend, a complication, a new deposit, a treatment failing
 * on its tier, abnormal labs, and a deposit responding to treatment. Written through the same
 * services as the API, so the alerts are the ones the rules raise. Returns false if already there.
 */
export async function seedDemo(app: INestApplication): Promise<boolean> {
  const db = app.get<DataSource>(getDataSourceToken());
  // all or nothing, and once: a crash mid-way leaves no half demo, a second instance waits and finds it
  return db.transaction(async (manager) => {
    await lockStartUpData(manager);
    const existing: unknown[] = await manager.query(`SELECT 1 FROM users WHERE email = 'admin@demo.local'`);
    if (existing.length) return false;

    const { clinicId } = await provisionClinicIn(manager, { name: 'Demo Rheumatology Clinic', adminEmail: 'admin@demo.local', adminPassword: DEMO_PASSWORD, adminName: 'Demo Admin' });
    const physician = await createUser(manager, clinicId, { email: 'physician@demo.local', name: 'Dr. Demo Physician', role: 'physician', password: DEMO_PASSWORD, specialty: 'rheumatology' });
    const staffUser = await createUser(manager, clinicId, { email: 'staff@demo.local', name: 'Demo Staff', role: 'staff', password: DEMO_PASSWORD });

    await inTenantScope({ clinicId, manager }, () => seedClinicalHistory(app, clinicId, staffUser.id, physician.id));
    return true;
  });
}

async function seedClinicalHistory(app: INestApplication, clinicId: string, staffId: string, physicianId: string): Promise<void> {
  const staff: AuthUser = { id: staffId, clinicId, role: 'staff' };
  const physician = { id: physicianId };
  const patients = app.get(PatientsService);
  const visits = app.get(VisitsService);
  const treatments = app.get(TreatmentsService);
  const labs = app.get(LabsService);
  const visit = (patientId: string, dto: CreateVisitDto) => visits.create(staff, patientId, dto);
  const ev = (depositId: string, m: MeasurementInputDto): EvaluationInputDto => ({ depositId, ...m });

  // 1. Limited systemic sclerosis: a fingertip deposit that keeps growing on colchicine, then ulcerates.
  const maria = await patients.create(staff, {
    mrn: 'DEMO-0001', name: 'Maria Demo', birthDate: '1968-03-14', sex: 'female',
    conditions: ['systemic-sclerosis-limited'], calcinosisType: 'dystrophic', familyHistory: false, responsiblePhysicianId: physician.id,
  });
  const finger: NewDepositDto = { label: 'R index pulp', site: 'finger', siteDetail: 'volar pulp, distal phalanx', laterality: 'right', depth: 'subcutaneous', pattern: 'plaque-nodule', detectedBy: 'caliper', evaluation: caliper(8, { perpendicularDiameterMm: 6, shape: 'oval', margin: 'well-defined', painScore: 2, position: { landmark: 'R index DIP crease', xMm: 4, yMm: 0 } }) };
  const elbow: NewDepositDto = { label: 'L olecranon', site: 'elbow', laterality: 'left', depth: 'periarticular', pattern: 'tumoral', detectedBy: 'xray', evaluation: { method: 'xray', longestDiameterMm: 15, perpendicularDiameterMm: 11 } };
  const m1 = await visit(maria.id, { visitDate: monthsAgo(22), newDeposits: [finger, elbow] });
  const [mFinger, mElbow] = m1.newDepositIds;
  await treatments.create(staff, maria.id, { kind: 'colchicine', startedOn: monthsAgo(21), dose: '0.5 mg twice daily', route: 'oral' });
  await visit(maria.id, { visitDate: monthsAgo(17), evaluations: [ev(mFinger, caliper(8.5, { perpendicularDiameterMm: 6, painScore: 2 })), ev(mElbow, { method: 'xray', longestDiameterMm: 15 })] });
  await visit(maria.id, { visitDate: monthsAgo(12), evaluations: [ev(mFinger, caliper(10.5, { perpendicularDiameterMm: 7, painScore: 3 })), ev(mElbow, { method: 'xray', longestDiameterMm: 15.5 })],
    labs: { calcium: { value: 2.35, unit: 'mmol/L' }, albumin: { value: 38, unit: 'g/L' }, phosphate: { value: 1.1, unit: 'mmol/L' } } });
  await visit(maria.id, { visitDate: monthsAgo(7), evaluations: [ev(mFinger, caliper(13, { perpendicularDiameterMm: 9, painScore: 6, shape: 'irregular', ulcerated: true, drainage: 'chalky' })), ev(mElbow, { method: 'xray', longestDiameterMm: 15 })] });
  await visit(maria.id, { visitDate: monthsAgo(2), evaluations: [ev(mFinger, caliper(14, { perpendicularDiameterMm: 9, painScore: 6, shape: 'irregular', ulcerated: true, drainage: 'chalky' }))] });

  // 2. Juvenile dermatomyositis: a tumoral hip deposit growing fast by ultrasound, a new deposit, high Ca×P.
  const jonas = await patients.create(staff, {
    mrn: 'DEMO-0002', name: 'Jonas Demo', birthDate: '2009-09-02', sex: 'male',
    conditions: ['juvenile-dermatomyositis'], calcinosisType: 'dystrophic', familyHistory: true, responsiblePhysicianId: physician.id,
  });
  const j1 = await visit(jonas.id, { visitDate: monthsAgo(15), newDeposits: [{ label: 'L hip tumoral mass', site: 'hip', laterality: 'left', depth: 'muscle', pattern: 'tumoral', detectedBy: 'ultrasound', evaluation: ultrasound(30, { perpendicularDiameterMm: 22, depthMm: 15, mobility: 'fixed' }) }] });
  const [jHip] = j1.newDepositIds;
  await treatments.create(staff, jonas.id, { kind: 'iv-sodium-thiosulfate', startedOn: monthsAgo(14), route: 'intravenous' });
  await visit(jonas.id, { visitDate: monthsAgo(10), evaluations: [ev(jHip, ultrasound(31, { perpendicularDiameterMm: 22, depthMm: 15 }))] });
  await visit(jonas.id, { visitDate: monthsAgo(6), evaluations: [ev(jHip, ultrasound(38, { perpendicularDiameterMm: 25, depthMm: 17 }))] });
  await visit(jonas.id, {
    visitDate: monthsAgo(1),
    evaluations: [ev(jHip, ultrasound(46, { perpendicularDiameterMm: 30, depthMm: 20, painScore: 5 }))],
    newDeposits: [{ label: 'R thigh nodule', site: 'thigh', laterality: 'right', depth: 'subcutaneous', detectedBy: 'ultrasound', evaluation: ultrasound(9) }],
    labs: { calcium: { value: 10.4, unit: 'mg/dL' }, albumin: { value: 3.4, unit: 'g/dL' }, phosphate: { value: 6.9, unit: 'mg/dL' } },
  });

  // 3. Dermatomyositis responding to a bisphosphonate: a forearm deposit shrinking.
  const lena = await patients.create(staff, {
    mrn: 'DEMO-0003', name: 'Lena Demo', birthDate: '1975-11-30', sex: 'female',
    conditions: ['dermatomyositis'], calcinosisType: 'dystrophic', familyHistory: false, responsiblePhysicianId: null,
  });
  const l1 = await visit(lena.id, { visitDate: monthsAgo(13), newDeposits: [{ label: 'R forearm plaque', site: 'forearm', laterality: 'right', depth: 'cutaneous', pattern: 'planar', detectedBy: 'caliper', evaluation: caliper(20, { perpendicularDiameterMm: 12 }) }] });
  const [lForearm] = l1.newDepositIds;
  await treatments.create(staff, lena.id, { kind: 'bisphosphonate', startedOn: monthsAgo(13), dose: 'alendronate 70 mg weekly', route: 'oral' });
  await visit(lena.id, { visitDate: monthsAgo(8), evaluations: [ev(lForearm, caliper(17, { perpendicularDiameterMm: 11 }))] });
  await visit(lena.id, { visitDate: monthsAgo(3), evaluations: [ev(lForearm, caliper(13, { perpendicularDiameterMm: 9 }))] });
  await labs.create(staff, lena.id, { collectedOn: monthsAgo(3), calcium: { value: 9.4, unit: 'mg/dL' }, albumin: { value: 4.1, unit: 'g/dL' }, egfr: { value: 88, unit: 'mL/min/1.73m2' } });

  // The physician has started on the inbox: one alert decided, one acknowledged.
  const doctor: AuthUser = { id: physician.id, clinicId, role: 'physician' };
  const inbox = app.get(AlertsService);
  const listOf = async (patientId: string) => JSON.parse(await inbox.list(doctor, { patientId } as AlertQueryDto)) as AlertPageDto;
  const lenaAlerts = await listOf(lena.id);
  const regression = lenaAlerts.items.find((a) => a.rule === 'REGRESSION');
  if (regression) await inbox.resolve(doctor, regression.id, { decision: 'continue', note: 'Responding to alendronate; continue and re-check in 6 months.' });
  const mariaAlerts = await listOf(maria.id);
  const complication = mariaAlerts.items.find((a) => a.rule === 'COMPLICATION');
  if (complication) {
    await inbox.resolve(doctor, complication.id, { decision: 'escalate', note: 'Ulcer with chalky drainage: wound care, and start intralesional sodium thiosulfate.' });
  }
  const jonasAlerts = await listOf(jonas.id);
  const newDeposit = jonasAlerts.items.find((a) => a.rule === 'NEW_DEPOSIT');
  if (newDeposit) await inbox.acknowledge(doctor, newDeposit.id);
}
