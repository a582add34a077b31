import type { EntityManager } from 'typeorm';
import type { MeasurementInputDto } from './dto/evaluation-input.dto';
import { EvaluationVersion } from './evaluation-version.entity';
import { Evaluation, type Measurement } from './evaluation.entity';
import { measurementOf } from './evaluation.mapper';

/** SPEC's defaults: booleans false, drainage none, the rest null. */
export function measurementFromInput(input: MeasurementInputDto): Measurement {
  return {
    method: input.method,
    longestDiameterMm: input.longestDiameterMm,
    perpendicularDiameterMm: input.perpendicularDiameterMm ?? null,
    depthMm: input.depthMm ?? null,
    shape: input.shape ?? null,
    margin: input.margin ?? null,
    landmark: input.position?.landmark.trim() ?? null,
    xMm: input.position?.xMm ?? null,
    yMm: input.position?.yMm ?? null,
    mobility: input.mobility ?? null,
    ulcerated: input.ulcerated ?? false,
    infectionSigns: input.infectionSigns ?? false,
    inflammation: input.inflammation ?? false,
    nerveCompression: input.nerveCompression ?? false,
    drainage: input.drainage ?? 'none',
    painScore: input.painScore ?? null,
    notes: input.notes ?? null,
  };
}

/** Stores an evaluation and its version 1, together. */
export async function insertEvaluation(
  manager: EntityManager,
  ids: { clinicId: string; patientId: string; depositId: string; visitId: string; visitDate: string; actorId: string },
  measurement: Measurement,
): Promise<Evaluation> {
  const evaluations = manager.getRepository(Evaluation);
  const evaluation = await evaluations.save(
    evaluations.create({
      clinicId: ids.clinicId,
      patientId: ids.patientId,
      depositId: ids.depositId,
      visitId: ids.visitId,
      visitDate: ids.visitDate,
      version: 1,
      ...measurement,
      recordedBy: ids.actorId,
    }),
  );
  await manager.getRepository(EvaluationVersion).insert({
    clinicId: ids.clinicId,
    evaluationId: evaluation.id,
    version: 1,
    data: measurementOf(evaluation),
    reason: null,
    recordedBy: ids.actorId,
    recordedAt: evaluation.recordedAt,
  });
  return evaluation;
}
