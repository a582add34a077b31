import { Module } from '@nestjs/common';
import { EvaluationExportService } from './evaluation-export.service';
import { ExportsController } from './exports.controller';

@Module({ controllers: [ExportsController], providers: [EvaluationExportService], exports: [EvaluationExportService] })
export class ExportsModule {}
