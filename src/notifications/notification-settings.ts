import type { Severity } from '../change-detection/types';

/** Who is told what, per clinic (admin-configured, versioned like the rule settings). */
export interface NotificationSettings {
  /** e-mail the physician(s) when an alert at or above `emailMinSeverity` is raised or escalated */
  emailAlerts: boolean;
  emailMinSeverity: Severity;
  /** the daily digest of unresolved alerts per physician (each may opt out) */
  dailyDigest: boolean;
}

export const DEFAULT_NOTIFICATION_SETTINGS: Readonly<NotificationSettings> = { emailAlerts: true, emailMinSeverity: 'high', dailyDigest: true };

export const NOTIFICATION_SETTING_KEYS = Object.keys(DEFAULT_NOTIFICATION_SETTINGS) as (keyof NotificationSettings)[];

export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'high', 'urgent'];

export function atLeast(severity: string, min: Severity): boolean {
  return SEVERITIES.indexOf(severity as Severity) >= SEVERITIES.indexOf(min);
}

/**
 * The UTC day a digest sent at `now` covers, when `now` is within the digest hour; null otherwise.
 * A job picked up late (the instances were down at the hour) sends nothing: no digest comes as a
 * catch-up after a start-up.
 */
export function digestDayAt(now: Date, digestHour: number): string | null {
  return now.getUTCHours() === digestHour ? now.toISOString().slice(0, 10) : null;
}
