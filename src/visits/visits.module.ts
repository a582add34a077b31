import { Module } from '@nestjs/common';
import { AmendmentsService } from './amendments.service';
import { VisitsController } from './visits.controller';
import { VisitsService } from './visits.service';

@Module({ controllers: [VisitsController], providers: [VisitsService, AmendmentsService], exports: [VisitsService] })
export class VisitsModule {}
