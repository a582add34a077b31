import { ApiError } from './errors';
import { fetchWithSession } from './client';

/** The file name a Content-Disposition header gives (`filename*` first, then `filename`), or null. */
export function filenameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[2].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition);
  if (!plain) return null;
  return (plain[2] ?? plain[1]).trim();
}

/**
 * Downloads a file the API serves as an attachment, with the session's bearer token (a link could
 * not send it), saved under the name the API gives it — never opened in a new tab.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<string> {
  const res = await fetchWithSession(url);
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  const name = filenameOf(res.headers.get('Content-Disposition')) ?? fallbackName;
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // the browser has taken the file once the click is handled
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return name;
}
