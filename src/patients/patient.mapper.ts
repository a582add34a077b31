import type { PatientDto } from './dto/patient.dto';
import type { Patient } from './patient.entity';

export function toPatientDto(p: Patient): PatientDto {
  return {
    id: p.id,
    mrn: p.mrn,
    name: p.name,
    birthDate: p.birthDate,
    sex: p.sex,
    conditions: p.conditions,
    calcinosisType: p.calcinosisType,
    familyHistory: p.familyHistory,
    responsiblePhysicianId: p.responsiblePhysicianId,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}
