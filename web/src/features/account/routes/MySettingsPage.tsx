// One's own settings: whether the daily digest of unresolved alerts is sent to you.
import { useState } from 'react';
import { messageOf } from '../../../api/errors';
import { useUser } from '../../../auth/AuthProvider';
import { CheckboxField } from '../../../components/fields';
import { ErrorMessage, Loading, Page } from '../../../components/Page';
import { ROLE_LABELS } from '../../../labels';
import { useNotificationPreferences, useUpdateNotificationPreferences } from '../../admin/notifications-api';

export function MySettingsPage() {
  const user = useUser();
  const preferences = useNotificationPreferences();
  const update = useUpdateNotificationPreferences();
  const [said, setSaid] = useState('');
  const [error, setError] = useState<string | null>(null);
  // the box follows the click at once; a refused save puts it back
  const [choice, setChoice] = useState<boolean | null>(null);
  const checked = choice ?? preferences.data?.dailyDigest ?? true;

  const toggle = async (dailyDigest: boolean) => {
    setError(null);
    setSaid('');
    setChoice(dailyDigest);
    try {
      const saved = await update.mutateAsync(dailyDigest);
      setSaid(saved.dailyDigest ? 'You receive the daily digest.' : 'You no longer receive the daily digest.');
    } catch (err) {
      setChoice(null);
      setError(messageOf(err));
    }
  };

  return (
    <Page title="My settings" subtitle={`${user.name}, ${user.email} (${ROLE_LABELS[user.role]})`}>
      <section className="card form narrow" aria-labelledby="digest-heading">
        <h2 id="digest-heading">Daily digest</h2>
        <ErrorMessage error={error ?? (preferences.error ? messageOf(preferences.error) : null)} />
        {preferences.isPending && <Loading what="your preferences" />}
        {preferences.data && (
          <CheckboxField
            label="Send me the daily digest of unresolved alerts"
            hint="Sent to physicians once a day when the clinic sends it; saved as soon as you change it"
            checked={checked}
            disabled={update.isPending}
            onChange={(e) => void toggle(e.target.checked)}
          />
        )}
        <p role="status">{said}</p>
      </section>
    </Page>
  );
}
