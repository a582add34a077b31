/**
 * What an API request does, in audit terms, derived from its route: the record type, the action,
 * and where the record and patient ids are found. One rule for every route, so a new route is
 * audited without anyone remembering to.
 */
export interface AuditRoute {
  action: string;
  recordType: string | null;
  /** the path parameter holding the record id, when the record already exists */
  recordIdParam: string | null;
  /** the path parameter holding the patient id, for routes under /patients/:id */
  patientParam: string | null;
}

const SINGULAR: Record<string, string> = {
  patients: 'patient',
  deposits: 'deposit',
  visits: 'visit',
  evaluations: 'evaluation',
  amendments: 'evaluation',
  labs: 'lab-result',
  treatments: 'treatment',
  alerts: 'alert',
  users: 'user',
  'rule-settings': 'rule-settings',
  'audit-events': 'audit-event',
  exports: 'export',
  auth: 'auth',
  webhooks: 'webhook',
  deliveries: 'webhook-delivery',
  'notification-settings': 'notification-settings',
  'notification-preferences': 'notification-preferences',
};

const VERBS: Record<string, string> = {
  acknowledge: 'acknowledge',
  resolve: 'resolve',
  simulate: 'simulate',
  amendments: 'amend',
  history: 'history',
  versions: 'versions',
  report: 'export',
  login: 'login',
  refresh: 'refresh',
  logout: 'logout',
  resend: 'resend',
  'rotate-secret': 'rotate-secret',
};

export function auditRouteOf(method: string, routePath: string): AuditRoute {
  const segments = routePath.replace(/^\/?api\/v1\/?/, '').split('/').filter(Boolean);
  const patientParam = segments[0] === 'patients' && segments[1]?.startsWith(':') ? segments[1].slice(1) : null;
  const last = segments[segments.length - 1] ?? '';
  const lastIsParam = last.startsWith(':');
  const verb = VERBS[last];

  if (verb && segments.length >= 2) {
    // /alerts/:id/resolve, /evaluations/:id/amendments, /patients/:id/report, /auth/login
    const owner = segments[segments.length - 2];
    const ownerIsParam = owner.startsWith(':');
    const recordType = ownerIsParam ? SINGULAR[segments[segments.length - 3]] ?? segments[segments.length - 3] : SINGULAR[owner] ?? owner;
    return { action: `${last === 'report' ? 'report' : recordType}.${verb}`, recordType: last === 'report' ? 'patient' : recordType, recordIdParam: ownerIsParam ? owner.slice(1) : null, patientParam };
  }
  if (lastIsParam) {
    const recordType = SINGULAR[segments[segments.length - 2]] ?? segments[segments.length - 2];
    const action = method === 'GET' ? 'read' : method === 'DELETE' ? 'delete' : 'update';
    return { action: `${recordType}.${action}`, recordType, recordIdParam: last.slice(1), patientParam };
  }
  const recordType = SINGULAR[last] ?? last;
  if (segments[0] === 'exports') return { action: `export.${last}`, recordType: last.replace(/s$/, ''), recordIdParam: null, patientParam };
  const action = method === 'GET' ? 'list' : method === 'POST' ? 'create' : 'update';
  return { action: `${recordType}.${action}`, recordType, recordIdParam: null, patientParam };
}
