import type { Deposit } from './deposit.entity';
import type { DepositDto } from './dto/deposit.dto';

export function toDepositDto(d: Deposit): DepositDto {
  return {
    id: d.id,
    patientId: d.patientId,
    label: d.label,
    site: d.site,
    siteDetail: d.siteDetail,
    laterality: d.laterality,
    depth: d.depth,
    pattern: d.pattern,
    detectedBy: d.detectedBy,
    priorProcedureSite: d.priorProcedureSite,
    notedOn: d.notedOn,
    status: d.status,
    version: d.version,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}
