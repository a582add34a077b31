/**
 * `calcitrack-report-MRN-0001-2025-07-10.pdf`: the MRN cut down to characters every file system and
 * every Content-Disposition parser accepts; the patient id when nothing of the MRN is left.
 */
export function reportFilename(patient: { id: string; mrn: string }, date: string, extension: string): string {
  const safeMrn = patient.mrn
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 64);
  return `calcitrack-report-${safeMrn || patient.id}-${date}.${extension}`;
}

/** The header value: the name is already plain ASCII without quotes, so no `filename*` is needed. */
export function attachmentDisposition(filename: string): string {
  return `attachment; filename="${filename}"`;
}
