import { Module } from '@nestjs/common';
import { PatientReportLoader } from './report.loader';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({ controllers: [ReportsController], providers: [ReportsService, PatientReportLoader] })
export class ReportsModule {}
