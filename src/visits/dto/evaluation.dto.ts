import { ApiProperty } from '@nestjs/swagger';
import type { MethodClass } from '../../change-detection/types';
import { DRAINAGES, MARGINS, METHODS, MOBILITIES, SHAPES, type Drainage, type Margin, type Method, type Mobility, type Shape } from '../evaluation.entity';

export const METHOD_CLASSES: readonly MethodClass[] = ['clinical', 'ultrasound', 'radiographic'];

export class PositionOutDto {
  @ApiProperty() landmark: string;
  @ApiProperty({ type: Number, nullable: true }) xMm: number | null;
  @ApiProperty({ type: Number, nullable: true }) yMm: number | null;
}

/** An evaluation as of one of its versions (the latest, unless it comes from the history). */
export class EvaluationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) depositId: string;
  @ApiProperty({ format: 'uuid' }) visitId: string;
  @ApiProperty({ format: 'date' }) visitDate: string;
  @ApiProperty({ description: '1 for the original measurement; each amendment adds one' }) version: number;
  @ApiProperty({ enum: METHODS }) method: Method;
  @ApiProperty({ enum: METHOD_CLASSES, description: 'sizes are compared only within one class: palpation/caliper/photo (clinical), ultrasound, X-ray/CT/MRI (radiographic)' })
  methodClass: MethodClass;
  @ApiProperty() longestDiameterMm: number;
  @ApiProperty({ type: Number, nullable: true }) perpendicularDiameterMm: number | null;
  @ApiProperty({ type: Number, nullable: true }) depthMm: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'π/4 · longest · perpendicular' }) areaMm2: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'π/6 · longest · perpendicular · depth' }) volumeMm3: number | null;
  @ApiProperty({ enum: SHAPES, nullable: true }) shape: Shape | null;
  @ApiProperty({ enum: MARGINS, nullable: true }) margin: Margin | null;
  @ApiProperty({ type: () => PositionOutDto, nullable: true }) position: PositionOutDto | null;
  @ApiProperty({ enum: MOBILITIES, nullable: true }) mobility: Mobility | null;
  @ApiProperty() ulcerated: boolean;
  @ApiProperty() infectionSigns: boolean;
  @ApiProperty() inflammation: boolean;
  @ApiProperty() nerveCompression: boolean;
  @ApiProperty({ enum: DRAINAGES }) drainage: Drainage;
  @ApiProperty({ type: Number, nullable: true }) painScore: number | null;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty({ format: 'uuid', description: 'who recorded this version' }) recordedBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) recordedAt: Date;
}

export class EvaluationVersionDto extends EvaluationDto {
  @ApiProperty({ type: String, nullable: true, description: 'why it was amended; null for the original' }) reason: string | null;
  @ApiProperty({ type: String, nullable: true, readOnly: true, description: "the name of the clinic's user who recorded this version (`recordedBy`); null when no user of the clinic has that id" })
  recordedByName: string | null;
}

export class EvaluationHistoryDto {
  @ApiProperty({ type: () => [EvaluationVersionDto], description: 'every version, oldest first' }) items: EvaluationVersionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
