/** The shapes a patient report comes in, and what each is served as. */
export const REPORT_FORMATS = ['json', 'csv', 'pdf', 'fhir'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_MEDIA_TYPES: Readonly<Record<ReportFormat, string>> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
  fhir: 'application/fhir+json',
};

/** File name extension of each downloadable format (json is answered inline, like every API call). */
export const REPORT_EXTENSIONS: Readonly<Record<Exclude<ReportFormat, 'json'>, string>> = {
  csv: 'csv',
  pdf: 'pdf',
  fhir: 'fhir.json',
};
