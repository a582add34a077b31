// Names for the generated schemas: the rest of the app imports its API types from here.
import type { components } from './schema';

type Schemas = components['schemas'];

export type User = Schemas['UserDto'];
export type UserSummary = Schemas['UserSummaryDto'];
export type Role = UserSummary['role'];
export type LoginResponse = Schemas['LoginResponseDto'];
export type Patient = Schemas['PatientDto'];
export type PatientDetail = Schemas['PatientDetailDto'];
export type CreatePatient = Schemas['CreatePatientDto'];
export type Deposit = Schemas['DepositWithLatestDto'];
export type DepositDetail = Schemas['DepositDetailDto'];
export type Evaluation = Schemas['EvaluationDto'];
export type CreateVisit = Schemas['CreateVisitDto'];
export type AmendEvaluation = Schemas['AmendEvaluationDto'];
export type EvaluationVersion = Schemas['EvaluationVersionDto'];
export type VisitCreated = Schemas['VisitCreatedDto'];
export type Treatment = Schemas['TreatmentDto'];
export type CreateTreatment = Schemas['CreateTreatmentDto'];
export type LabResult = Schemas['LabResultDto'];
export type LabInput = Schemas['LabInputDto'];
export type Alert = Schemas['AlertDto'];
export type InboxAlert = Schemas['InboxAlertDto'];
export type AlertDetail = Schemas['AlertDetailDto'];
export type RuleSettings = Schemas['RuleSettingsDto'];
export type RuleSettingsValues = Schemas['RuleSettingsValuesDto'];
export type AuditEvent = Schemas['AuditEventDto'];
export type NotificationSettings = Schemas['NotificationSettingsDto'];
export type NotificationSettingsValues = Schemas['NotificationSettingsValuesDto'];
export type Webhook = Schemas['WebhookDto'];
export type WebhookWithSecret = Schemas['WebhookWithSecretDto'];
export type CreateWebhook = Schemas['CreateWebhookDto'];
export type UpdateWebhook = Schemas['UpdateWebhookDto'];
export type WebhookDelivery = Schemas['DeliveryDto'];
export type AlertEvent = Webhook['events'] extends (infer E)[] | null ? E : never;
export type Severity = Alert['severity'];
export type AlertStatus = Alert['status'];
export type RuleCode = Alert['rule'];
export type Decision = Schemas['ResolveAlertDto']['decision'];
export type Method = Evaluation['method'];
export type Site = Deposit['site'];
export type Laterality = Deposit['laterality'];
export type TreatmentKind = Treatment['kind'];

/** The API's error body: every validation error names its field. */
export interface FieldError {
  field: string;
  messages: string[];
}
