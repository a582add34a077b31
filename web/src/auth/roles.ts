// What each role may do, as the API's authorisation table says (README "The API in brief"). The
// navigation and the pages show only these; the API still checks every request.
import type { Role } from '../api/types';

const CLINICAL: readonly Role[] = ['staff', 'physician'];

export const can = {
  /** POST visits, labs, treatments; GET labs, treatments, evaluation history */
  recordClinicalData: (role: Role) => CLINICAL.includes(role),
  /** acknowledge and resolve alerts */
  decideAlerts: (role: Role) => role === 'physician',
  /** users, rule settings (write), audit trail */
  administer: (role: Role) => role === 'admin',
} as const;

/** Where each role starts: the physician's home is the inbox. */
export function homeOf(role: Role): string {
  if (role === 'physician') return '/inbox';
  if (role === 'admin') return '/admin/users';
  return '/patients';
}
