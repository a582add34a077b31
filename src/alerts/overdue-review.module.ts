import { Module } from '@nestjs/common';
import { OverdueReviewJob } from './overdue-review.job';

@Module({ providers: [OverdueReviewJob], exports: [OverdueReviewJob] })
export class OverdueReviewModule {}
