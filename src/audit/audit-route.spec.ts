import { describe, expect, it } from '@jest/globals';
import { auditRouteOf } from './audit-route';

describe('audit terms of each route', () => {
  it.each([
    ['GET', '/api/v1/patients', { action: 'patient.list', recordType: 'patient', recordIdParam: null, patientParam: null }],
    ['POST', '/api/v1/patients', { action: 'patient.create', recordType: 'patient', recordIdParam: null, patientParam: null }],
    ['GET', '/api/v1/patients/:id', { action: 'patient.read', recordType: 'patient', recordIdParam: 'id', patientParam: 'id' }],
    ['PATCH', '/api/v1/patients/:id', { action: 'patient.update', recordType: 'patient', recordIdParam: 'id', patientParam: 'id' }],
    ['POST', '/api/v1/patients/:id/visits', { action: 'visit.create', recordType: 'visit', recordIdParam: null, patientParam: 'id' }],
    ['GET', '/api/v1/patients/:id/labs', { action: 'lab-result.list', recordType: 'lab-result', recordIdParam: null, patientParam: 'id' }],
    ['GET', '/api/v1/patients/:id/report', { action: 'report.export', recordType: 'patient', recordIdParam: 'id', patientParam: 'id' }],
    ['GET', '/api/v1/deposits/:id', { action: 'deposit.read', recordType: 'deposit', recordIdParam: 'id', patientParam: null }],
    ['POST', '/api/v1/evaluations/:id/amendments', { action: 'evaluation.amend', recordType: 'evaluation', recordIdParam: 'id', patientParam: null }],
    ['GET', '/api/v1/evaluations/:id/history', { action: 'evaluation.history', recordType: 'evaluation', recordIdParam: 'id', patientParam: null }],
    ['POST', '/api/v1/alerts/:id/resolve', { action: 'alert.resolve', recordType: 'alert', recordIdParam: 'id', patientParam: null }],
    ['GET', '/api/v1/exports/evaluations', { action: 'export.evaluations', recordType: 'evaluation', recordIdParam: null, patientParam: null }],
    ['PUT', '/api/v1/rule-settings', { action: 'rule-settings.update', recordType: 'rule-settings', recordIdParam: null, patientParam: null }],
    ['GET', '/api/v1/rule-settings/versions', { action: 'rule-settings.versions', recordType: 'rule-settings', recordIdParam: null, patientParam: null }],
    ['POST', '/api/v1/rule-settings/simulate', { action: 'rule-settings.simulate', recordType: 'rule-settings', recordIdParam: null, patientParam: null }],
    ['POST', '/api/v1/auth/login', { action: 'auth.login', recordType: 'auth', recordIdParam: null, patientParam: null }],
    ['POST', '/api/v1/webhooks', { action: 'webhook.create', recordType: 'webhook', recordIdParam: null, patientParam: null }],
    ['PATCH', '/api/v1/webhooks/:id', { action: 'webhook.update', recordType: 'webhook', recordIdParam: 'id', patientParam: null }],
    ['DELETE', '/api/v1/webhooks/:id', { action: 'webhook.delete', recordType: 'webhook', recordIdParam: 'id', patientParam: null }],
    ['POST', '/api/v1/webhooks/:id/rotate-secret', { action: 'webhook.rotate-secret', recordType: 'webhook', recordIdParam: 'id', patientParam: null }],
    ['GET', '/api/v1/webhooks/:id/deliveries', { action: 'webhook-delivery.list', recordType: 'webhook-delivery', recordIdParam: null, patientParam: null }],
    ['POST', '/api/v1/webhooks/:id/deliveries/:deliveryId/resend', { action: 'webhook-delivery.resend', recordType: 'webhook-delivery', recordIdParam: 'deliveryId', patientParam: null }],
    ['PUT', '/api/v1/notification-settings', { action: 'notification-settings.update', recordType: 'notification-settings', recordIdParam: null, patientParam: null }],
  ])('%s %s', (method, path, expected) => {
    expect(auditRouteOf(method, path)).toEqual(expected);
  });
});
