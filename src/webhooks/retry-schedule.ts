/**
 * When a failed delivery is tried again: the first wait is `baseSeconds`, each later one twice the
 * one before (capped at `maxDelaySeconds`), and a delivery still failing `giveUpAfterSeconds` after
 * its first attempt is dead (an admin may resend it). With the defaults (30 s, 4 h, 24 h) that is
 * 30 s, 1 min, 2 min, … 2 h 8 min, then every 4 h, fifteen attempts over a little more than a day.
 */
export interface RetrySchedule {
  baseSeconds: number;
  maxDelaySeconds: number;
  giveUpAfterSeconds: number;
}

/** The wait after the `failedAttempts`-th failure (1 = after the first attempt). */
export function retryDelaySeconds(failedAttempts: number, schedule: RetrySchedule): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 40);
  return Math.min(schedule.baseSeconds * 2 ** exponent, Math.max(schedule.maxDelaySeconds, schedule.baseSeconds));
}

export type RetryDecision = { kind: 'retry'; at: Date } | { kind: 'dead' };

/** After a failed attempt: try again at a time, or give up (the delivery has failed for long enough). */
export function afterFailure(failedAttempts: number, firstAttemptAt: Date, now: Date, schedule: RetrySchedule): RetryDecision {
  if (now.getTime() - firstAttemptAt.getTime() >= schedule.giveUpAfterSeconds * 1000) return { kind: 'dead' };
  return { kind: 'retry', at: new Date(now.getTime() + retryDelaySeconds(failedAttempts, schedule) * 1000) };
}
