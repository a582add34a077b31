import type { EvaluationDto, EvaluationVersionDto } from './dto/evaluation.dto';
import type { EvaluationVersion } from './evaluation-version.entity';
import type { Evaluation, Measurement } from './evaluation.entity';
import { areaMm2, volumeMm3 } from './measurement.util';
import { methodClassOf } from '../change-detection/types';

type EvaluationIdentity = Pick<Evaluation, 'id' | 'depositId' | 'visitId' | 'visitDate'>;

function measurementFields(m: Measurement) {
  return {
    method: m.method,
    methodClass: methodClassOf(m.method),
    longestDiameterMm: m.longestDiameterMm,
    perpendicularDiameterMm: m.perpendicularDiameterMm,
    depthMm: m.depthMm,
    areaMm2: areaMm2(m.longestDiameterMm, m.perpendicularDiameterMm),
    volumeMm3: volumeMm3(m.longestDiameterMm, m.perpendicularDiameterMm, m.depthMm),
    shape: m.shape,
    margin: m.margin,
    position: m.landmark === null ? null : { landmark: m.landmark, xMm: m.xMm, yMm: m.yMm },
    mobility: m.mobility,
    ulcerated: m.ulcerated,
    infectionSigns: m.infectionSigns,
    inflammation: m.inflammation,
    nerveCompression: m.nerveCompression,
    drainage: m.drainage,
    painScore: m.painScore,
    notes: m.notes,
  };
}

export function toEvaluationDto(e: Evaluation): EvaluationDto {
  return {
    id: e.id,
    depositId: e.depositId,
    visitId: e.visitId,
    visitDate: e.visitDate,
    version: e.version,
    ...measurementFields(e),
    recordedBy: e.recordedBy,
    recordedAt: e.recordedAt,
  };
}

/** `recordedByName`: the recorder's name, looked up in the clinic's users (null when not found). */
export function toEvaluationVersionDto(identity: EvaluationIdentity, v: EvaluationVersion, recordedByName: string | null): EvaluationVersionDto {
  return {
    id: identity.id,
    depositId: identity.depositId,
    visitId: identity.visitId,
    visitDate: identity.visitDate,
    version: v.version,
    ...measurementFields(v.data),
    recordedBy: v.recordedBy,
    recordedByName,
    recordedAt: v.recordedAt,
    reason: v.reason,
  };
}

/** The measured part of an evaluation row: what each version stores whole. */
export function measurementOf(e: Measurement): Measurement {
  return {
    method: e.method,
    longestDiameterMm: e.longestDiameterMm,
    perpendicularDiameterMm: e.perpendicularDiameterMm,
    depthMm: e.depthMm,
    shape: e.shape,
    margin: e.margin,
    landmark: e.landmark,
    xMm: e.xMm,
    yMm: e.yMm,
    mobility: e.mobility,
    ulcerated: e.ulcerated,
    infectionSigns: e.infectionSigns,
    inflammation: e.inflammation,
    nerveCompression: e.nerveCompression,
    drainage: e.drainage,
    painScore: e.painScore,
    notes: e.notes,
  };
}
