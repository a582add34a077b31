import type { LabResultDto } from './dto/lab.dto';
import type { LabResult } from './lab-result.entity';

export function toLabResultDto(l: LabResult): LabResultDto {
  return {
    id: l.id,
    patientId: l.patientId,
    visitId: l.visitId,
    collectedOn: l.collectedOn,
    calciumMgDl: l.calciumMgDl,
    albuminGDl: l.albuminGDl,
    phosphateMgDl: l.phosphateMgDl,
    pthPgMl: l.pthPgMl,
    vitaminDNgMl: l.vitaminDNgMl,
    egfrMlMin173m2: l.egfrMlMin,
    correctedCalciumMgDl: l.correctedCalciumMgDl,
    calciumPhosphateProduct: l.calciumPhosphateProduct,
    entered: l.entered,
    createdAt: l.createdAt,
  };
}
