import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { detectOverdue } from '../change-detection/detect-changes';
import { addMonths } from '../change-detection/date-utils';
import { setTransactionClinic } from '../database/tenant-context';
import { JobQueue } from '../jobs/job-queue';
import { currentRuleSettings } from '../rule-settings/rule-settings.store';
import { utcToday } from './alert-runner';
import { writeFinding } from './alert-writer';
import { loadTreatments } from './clinical-history.loader';

const JOB = 'overdue-review';

/**
 * OVERDUE_REVIEW, once a day per clinic, on pg-boss's scheduler: every hour (and once when an
 * instance starts) a job looks for clinics whose day has not been processed. The first to insert
 * the (clinic, job, day) row in job_runs does the work in that same transaction, so however many
 * instances run and however often the job fires, a clinic's day is processed once (a crash rolls
 * the claim back with the work, and the next run does it).
 */
@Injectable()
export class OverdueReviewJob implements OnModuleInit {
  private readonly logger = new Logger('OverdueReviewJob');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.jobs.define({
      queue: JOB,
      policy: 'short',
      concurrency: 1,
      expireInSeconds: 3600,
      retryLimit: 2,
      retryDelaySeconds: 60,
      cron: '17 * * * *',
      handler: async () => {
        await this.runDue(utcToday());
      },
    });
    // the first day need not wait for the hour: one run at start-up (instances starting together share it)
    this.jobs.onStarted(() => {
      this.jobs.send(JOB, {}, { singletonKey: 'start-up', singletonSeconds: 600 }).catch((err: Error) => this.logger.warn(`could not queue the overdue review: ${err.message}`));
    });
  }

  /** Runs the job for every clinic whose day `today` has not been processed yet; returns alerts raised or updated. */
  async runDue(today: string): Promise<number> {
    const clinics: { clinic_id: string }[] = await this.db.query(
      `SELECT c.clinic_id FROM clinics c
        WHERE NOT EXISTS (SELECT 1 FROM job_runs j WHERE j.clinic_id = c.clinic_id AND j.job = $1 AND j.run_on = $2)`,
      [JOB, today],
    );
    let total = 0;
    for (const { clinic_id } of clinics) {
      total += await this.db.transaction(async (manager) => {
        const claimed: unknown[] = await manager.query(
          `INSERT INTO job_runs (clinic_id, job, run_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING clinic_id`,
          [clinic_id, JOB, today],
        );
        if (!claimed.length) return 0;
        await setTransactionClinic(manager, clinic_id);
        // the same daily pass forgets idempotency keys past their 24 hours
        await manager.query(`DELETE FROM idempotency_keys WHERE clinic_id = $1 AND created_at < now() - interval '24 hours'`, [clinic_id]);
        return this.reviewClinic(manager, clinic_id, today);
      });
    }
    return total;
  }

  private async reviewClinic(manager: EntityManager, clinicId: string, today: string): Promise<number> {
    const { version, settings } = await currentRuleSettings(manager, clinicId);
    const shortest = Math.min(settings.overdueMonths, settings.overdueMonthsOnTreatment);
    // only deposits not evaluated within the shorter window can be due
    const rows: { patient_id: string; id: string; label: string; last: string }[] = await manager.query(
      `SELECT d.patient_id, d.id, d.label, max(e.visit_date) AS last
         FROM deposits d JOIN evaluations e ON e.clinic_id = d.clinic_id AND e.deposit_id = d.id
        WHERE d.clinic_id = $1 AND d.status = 'active'
        GROUP BY d.patient_id, d.id, d.label
       HAVING max(e.visit_date) <= $2::date
        ORDER BY d.patient_id`,
      [clinicId, addMonths(today, -shortest)],
    );
    let written = 0;
    for (const patientId of [...new Set(rows.map((r) => r.patient_id))]) {
      await manager.query(`SELECT 1 FROM patients WHERE clinic_id = $1 AND id = $2 FOR UPDATE`, [clinicId, patientId]);
      const findings = detectOverdue({
        deposits: rows.filter((r) => r.patient_id === patientId).map((r) => ({ depositId: r.id, label: r.label, status: 'active', lastEvaluatedOn: r.last })),
        treatments: await loadTreatments(manager, clinicId, patientId),
        today,
        settings,
        settingsVersion: version,
      });
      for (const finding of findings) {
        const { outcome } = await writeFinding(manager, { clinicId, patientId }, finding, version);
        if (outcome !== 'unchanged') written += 1;
      }
    }
    if (written) this.logger.log(`clinic ${clinicId}: ${written} overdue review alert(s) raised or updated`);
    return written;
  }
}
