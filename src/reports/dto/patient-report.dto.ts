import { ApiProperty } from '@nestjs/swagger';
import { AlertDto } from '../../alerts/dto/alert.dto';
import { DepositDetailDto } from '../../deposits/dto/deposit.dto';
import { LabResultDto } from '../../labs/dto/lab.dto';
import { PatientDto } from '../../patients/dto/patient.dto';
import { TreatmentDto } from '../../treatments/dto/treatment.dto';
import { EvaluationVersionDto } from '../../visits/dto/evaluation.dto';
import { VisitDto } from '../../visits/dto/visit.dto';

/** A deposit as GET /deposits/:id shows it, plus the corrections made to its evaluations. */
export class ReportDepositDto extends DepositDetailDto {
  @ApiProperty({
    type: () => [EvaluationVersionDto],
    description: 'every version of each amended evaluation (the original included), oldest first, with the reason, who and when',
  })
  amendments: EvaluationVersionDto[];
}

export class ReportAlertDto extends AlertDto {
  @ApiProperty({ type: String, nullable: true, description: 'name of the physician who decided (resolvedBy)' })
  resolvedByName: string | null;
}

/** Everything recorded about one patient. Lists are oldest first. */
export class PatientReportDto {
  @ApiProperty({ type: String, format: 'date-time', description: 'when the report was made' }) generatedAt: string;
  @ApiProperty({ type: () => PatientDto }) patient: PatientDto;
  @ApiProperty({
    type: () => [ReportDepositDto],
    description: 'in the order they were recorded, each with every evaluation, baseline, nadir, latest and the changes (compared within the latest method class)',
  })
  deposits: ReportDepositDto[];
  @ApiProperty({ type: () => [VisitDto], description: 'oldest first, each with its evaluations' }) visits: VisitDto[];
  @ApiProperty({ type: () => [LabResultDto], description: 'oldest first, in conventional units' }) labs: LabResultDto[];
  @ApiProperty({ type: () => [TreatmentDto], description: 'by start date, each with its tier on the escalation ladder' }) treatments: TreatmentDto[];
  @ApiProperty({ type: () => [ReportAlertDto], description: 'every alert ever raised, oldest first, with the decision taken on it' }) alerts: ReportAlertDto[];
}
