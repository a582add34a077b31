import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The unresolved OVERDUE_REVIEW alerts of a clinic by deposit: every visit looks up (and locks)
 * those of the deposits it evaluated (resolveOverdueReviews). Without this index PostgreSQL walked
 * every alert of the clinic through alerts_patient_idx and filtered — a cost that grew with the
 * clinic (6.5 ms per visit at 100,000 alerts). Partial: only the few alerts the lookup can find.
 */
export class OverdueReviewIndex1764240000000 implements MigrationInterface {
  name = 'OverdueReviewIndex1764240000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX alerts_overdue_review_idx ON alerts (clinic_id, deposit_id) WHERE rule = 'OVERDUE_REVIEW' AND status <> 'resolved'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS alerts_overdue_review_idx`);
  }
}
