import { useState } from 'react';
import { downloadFile } from '../../../api/download';
import { messageOf } from '../../../api/errors';

const FORMATS = [
  { format: 'pdf', label: 'PDF report' },
  { format: 'csv', label: 'CSV report' },
  { format: 'fhir', label: 'FHIR bundle' },
] as const;

/** The patient's reports, downloaded with the session's token and saved under the API's file name. */
export function ReportDownloads({ patientId, mrn }: { patientId: string; mrn: string }) {
  const [status, setStatus] = useState<string>('');
  const [busy, setBusy] = useState<string | null>(null);

  const download = async (format: (typeof FORMATS)[number]['format']) => {
    setBusy(format);
    setStatus(`Preparing the ${format.toUpperCase()} report…`);
    try {
      const name = await downloadFile(`/api/v1/patients/${patientId}/report?format=${format}`, `calcitrack-report-${mrn}.${format === 'fhir' ? 'fhir.json' : format}`);
      setStatus(`Downloaded ${name}.`);
    } catch (err) {
      setStatus(`The report could not be downloaded: ${messageOf(err)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="report-downloads" role="group" aria-label="Reports">
      {FORMATS.map((f) => (
        <button key={f.format} type="button" onClick={() => void download(f.format)} disabled={busy !== null}>
          Download {f.label}
        </button>
      ))}
      <span className="download-status" role="status">
        {status}
      </span>
    </div>
  );
}
