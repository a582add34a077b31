// The clinic's notifications: who is e-mailed for what and the daily digest (a new version per
// change, sent with If-Match), and the webhook subscriptions — created with their signing secret
// shown once, their URL, description and filters changed (If-Match), paused and resumed, given a
// new secret (shown once too) or deleted, their deliveries listed and a dead one sent again.
import { useState } from 'react';
import { useForm, type UseFormReturn } from 'react-hook-form';
import { ApiError, messageOf } from '../../../api/errors';
import type { AlertEvent, CreateWebhook, NotificationSettings, Severity, UpdateWebhook, Webhook, WebhookWithSecret } from '../../../api/types';
import { CheckboxField, FieldGroup, SelectField, TextField } from '../../../components/fields';
import { applyApiErrors, errorAt } from '../../../components/form-errors';
import { ErrorMessage, Loading, Page } from '../../../components/Page';
import { formatDateTime, SEVERITIES, SEVERITY_LABELS } from '../../../labels';
import {
  useCreateWebhook,
  useDeleteWebhook,
  useDeliveries,
  useNotificationSettings,
  useResendDelivery,
  useRotateWebhookSecret,
  useSetWebhookEnabled,
  useUpdateNotificationSettings,
  useUpdateWebhook,
  useWebhooks,
} from '../notifications-api';

const EVENT_LABELS: Record<AlertEvent, string> = { 'alert.raised': 'Alert raised', 'alert.escalated': 'Alert escalated', 'alert.resolved': 'Alert resolved' };
const severityOptions = SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] }));

interface SettingsValues {
  emailAlerts: boolean;
  emailMinSeverity: string;
  dailyDigest: boolean;
}

/** `onDone`: what happened, said above the form (a save or a 412 brings a new version, hence a fresh form). */
function SettingsForm({ current, onDone }: { current: NotificationSettings; onDone: (outcome: { saved: string } | { stale: true }) => void }) {
  const update = useUpdateNotificationSettings();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<SettingsValues>({ defaultValues: { ...current.settings } });
  const onSubmit = async (v: SettingsValues) => {
    setError(null);
    try {
      const next = await update.mutateAsync({ changes: { ...v, emailMinSeverity: v.emailMinSeverity as Severity }, version: current.version });
      onDone({ saved: next.version === current.version ? 'Nothing changed.' : `Saved as version ${next.version}.` });
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) return onDone({ stale: true });
      applyApiErrors(err, form.setError, (f) => (['emailAlerts', 'emailMinSeverity', 'dailyDigest'].includes(f) ? f : null));
      setError(messageOf(err));
    }
  };
  const e = (n: keyof SettingsValues) => errorAt(form.formState.errors, n);
  return (
    <form className="form card" noValidate onSubmit={form.handleSubmit(onSubmit)} aria-labelledby="notification-settings-heading">
      <h2 id="notification-settings-heading">E-mail and daily digest</h2>
      <p className="sub">
        Version {current.version}
        {current.createdAt ? `, saved ${formatDateTime(current.createdAt)}` : ' (the defaults)'}.
        {!current.mailConfigured && ' This service sends no e-mail (SMTP_URL is not set): the settings take effect once it is.'}
      </p>
      <ErrorMessage error={error} />
      <CheckboxField
        label="E-mail alerts to the responsible physician"
        hint="Every active physician when the patient has none"
        error={e('emailAlerts')}
        {...form.register('emailAlerts')}
      />
      <SelectField label="E-mail alerts at or above" options={severityOptions} error={e('emailMinSeverity')} {...form.register('emailMinSeverity')} />
      <CheckboxField label="Daily digest of unresolved alerts to each physician" hint="Each physician may opt out in their own settings" error={e('dailyDigest')} {...form.register('dailyDigest')} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
          Save notification settings
        </button>
      </div>
    </form>
  );
}

interface WebhookValues {
  url: string;
  description: string;
  events: string[];
  minSeverity: string;
}

const WEBHOOK_FIELDS = ['url', 'description', 'events', 'minSeverity'];
/** `events[0]` → `events`: the API's field, as the form names it (null: not one of this form's). */
const webhookField = (apiField: string) => {
  const top = apiField.split(/[.[]/)[0];
  return WEBHOOK_FIELDS.includes(top) ? top : null;
};

/** What the form says, as the API takes it: blank description, no event ticked or no severity chosen mean none (every event, every severity). */
function webhookBody(v: WebhookValues): Required<Pick<CreateWebhook, 'url' | 'description' | 'events' | 'minSeverity'>> {
  return {
    url: v.url.trim(),
    description: v.description.trim() || null,
    events: v.events.length ? (v.events as AlertEvent[]) : null,
    minSeverity: (v.minSeverity || null) as Severity | null,
  };
}

function WebhookFields({ form }: { form: UseFormReturn<WebhookValues> }) {
  const e = (n: keyof WebhookValues) => errorAt(form.formState.errors, n);
  return (
    <>
      <div className="grid">
        <TextField label="URL" type="url" hint="https, to a public address" error={e('url')} {...form.register('url')} />
        <TextField label="Description" hint="Optional, e.g. EHR inbox" error={e('description')} {...form.register('description')} />
        <SelectField label="Only alerts at or above" blank="Every severity" options={severityOptions} error={e('minSeverity')} {...form.register('minSeverity')} />
      </div>
      <FieldGroup legend="Events (none ticked: every event)" error={e('events')} className="checkbox-row">
        {(Object.keys(EVENT_LABELS) as AlertEvent[]).map((ev) => (
          <CheckboxField key={ev} label={EVENT_LABELS[ev]} value={ev} {...form.register('events')} />
        ))}
      </FieldGroup>
    </>
  );
}

function CreateWebhookForm({ onCreated }: { onCreated: (w: WebhookWithSecret) => void }) {
  const create = useCreateWebhook();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<WebhookValues>({ defaultValues: { url: '', description: '', events: [], minSeverity: '' } });
  const onSubmit = async (v: WebhookValues) => {
    setError(null);
    try {
      onCreated(await create.mutateAsync(webhookBody(v)));
      form.reset();
    } catch (err) {
      applyApiErrors(err, form.setError, webhookField);
      setError(messageOf(err));
    }
  };
  return (
    <form className="form" noValidate onSubmit={form.handleSubmit(onSubmit)} aria-labelledby="new-webhook-heading">
      <h3 id="new-webhook-heading">Add a webhook</h3>
      <ErrorMessage error={error} />
      <WebhookFields form={form} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
          Add webhook
        </button>
      </div>
    </form>
  );
}

const sameEvents = (a: readonly string[] | null, b: readonly string[] | null) => (a === null || b === null ? a === b : a.length === b.length && a.every((ev) => b.includes(ev)));

/** Only what differs from the stored subscription (the URL is checked again only when it changes). */
function webhookChanges(webhook: Webhook, v: WebhookValues): UpdateWebhook {
  const next = webhookBody(v);
  const changes: UpdateWebhook = {};
  if (next.url !== webhook.url) changes.url = next.url;
  if (next.description !== webhook.description) changes.description = next.description;
  if (!sameEvents(next.events, webhook.events)) changes.events = next.events;
  if (next.minSeverity !== webhook.minSeverity) changes.minSeverity = next.minSeverity;
  return changes;
}

/** `onDone`: what happened, said in the webhook's card (a save or a 412 brings a new version, hence a fresh form). */
function EditWebhookForm({ webhook, name, onDone, onCancel }: { webhook: Webhook; name: string; onDone: (outcome: { saved: string } | { stale: true }) => void; onCancel: () => void }) {
  const update = useUpdateWebhook();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<WebhookValues>({
    defaultValues: { url: webhook.url, description: webhook.description ?? '', events: webhook.events ?? [], minSeverity: webhook.minSeverity ?? '' },
  });
  const onSubmit = async (v: WebhookValues) => {
    setError(null);
    const changes = webhookChanges(webhook, v);
    if (Object.keys(changes).length === 0) return onDone({ saved: 'Nothing changed.' });
    try {
      await update.mutateAsync({ webhook, changes });
      onDone({ saved: 'Changes saved.' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) return onDone({ stale: true });
      applyApiErrors(err, form.setError, webhookField);
      setError(messageOf(err));
    }
  };
  return (
    <form className="form inline-form" noValidate onSubmit={form.handleSubmit(onSubmit)} aria-label={`Change ${name}`}>
      <ErrorMessage error={error} />
      <WebhookFields form={form} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
          Save changes
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Deliveries({ webhook }: { webhook: Webhook }) {
  const deliveries = useDeliveries(webhook.id);
  const resend = useResendDelivery(webhook.id);
  const [error, setError] = useState<string | null>(null);
  if (deliveries.isPending) return <Loading what="the deliveries" />;
  if (deliveries.isError) return <ErrorMessage error={messageOf(deliveries.error)} />;
  if (deliveries.data.length === 0) return <p>No delivery yet.</p>;
  return (
    <>
      <ErrorMessage error={error} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Deliveries to {webhook.url}</caption>
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Event</th>
              <th scope="col">State</th>
              <th scope="col">Attempts, last answer</th>
              <th scope="col">
                <span className="visually-hidden">Resend</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.map((d) => (
              <tr key={d.id}>
                <td>{formatDateTime(d.createdAt)}</td>
                <td>{EVENT_LABELS[d.event]}</td>
                <td>
                  {d.state}
                  {d.state === 'pending' && d.nextAttemptAt && <span className="sub">next {formatDateTime(d.nextAttemptAt)}</span>}
                </td>
                <td>
                  {d.attempts}
                  {(d.lastStatusCode !== null || d.lastError) && <span className="sub">{[d.lastStatusCode && `HTTP ${d.lastStatusCode}`, d.lastError].filter(Boolean).join(': ')}</span>}
                </td>
                <td>
                  {d.state !== 'pending' && (
                    <button
                      type="button"
                      aria-label={`Resend the delivery of ${formatDateTime(d.createdAt)}`}
                      disabled={resend.isPending}
                      onClick={() => {
                        setError(null);
                        resend.mutateAsync(d.id).catch((err: unknown) => setError(messageOf(err)));
                      }}
                    >
                      Resend
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function WebhookItem({ webhook, onSecret }: { webhook: Webhook; onSecret: (w: WebhookWithSecret, what: string) => void }) {
  const setEnabled = useSetWebhookEnabled();
  const rotate = useRotateWebhookSecret();
  const remove = useDeleteWebhook();
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const [edited, setEdited] = useState<{ saved: string } | { stale: true } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const name = webhook.description ?? webhook.url;
  const busy = setEnabled.isPending || rotate.isPending || remove.isPending;
  const run = (action: () => Promise<unknown>) => {
    setError(null);
    setEdited(null);
    action().catch((err: unknown) => setError(messageOf(err)));
  };
  return (
    <li className="card webhook">
      <h3>{name}</h3>
      <p>
        {webhook.url}
        <span className="sub">
          {webhook.enabled ? 'Delivering' : 'Paused'} · {webhook.events ? webhook.events.map((ev) => EVENT_LABELS[ev]).join(', ') : 'every event'} ·{' '}
          {webhook.minSeverity ? `${SEVERITY_LABELS[webhook.minSeverity]} and above` : 'every severity'}
        </span>
      </p>
      <ErrorMessage error={error} />
      <ErrorMessage error={edited && 'stale' in edited ? 'Another admin changed this webhook meanwhile. The form now shows their version: make your change again.' : null} />
      <p role="status">{edited && 'saved' in edited ? edited.saved : ''}</p>
      <div className="form-actions">
        <button
          type="button"
          aria-expanded={editing}
          aria-label={`Change ${name}`}
          onClick={() => {
            setEdited(null);
            setEditing(!editing);
          }}
        >
          Change…
        </button>
        <button type="button" aria-label={`${webhook.enabled ? 'Pause' : 'Resume'} ${name}`} disabled={busy} onClick={() => run(() => setEnabled.mutateAsync({ webhook, enabled: !webhook.enabled }))}>
          {webhook.enabled ? 'Pause' : 'Resume'}
        </button>
        <button type="button" aria-expanded={open} aria-label={`Deliveries of ${name}`} onClick={() => setOpen(!open)}>
          Deliveries
        </button>
        <button
          type="button"
          aria-label={`New signing secret for ${name}`}
          disabled={busy}
          onClick={() => run(async () => onSecret(await rotate.mutateAsync(webhook), 'has a new signing secret (the old one keeps signing for 24 hours)'))}
        >
          New signing secret
        </button>
        {confirming ? (
          <>
            <button type="button" aria-label={`Really delete ${name}`} disabled={busy} onClick={() => run(() => remove.mutateAsync(webhook))}>
              Really delete
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" aria-label={`Delete ${name}`} onClick={() => setConfirming(true)}>
            Delete…
          </button>
        )}
      </div>
      {webhook.previousSecretExpiresAt && <p className="sub">The previous secret also signs until {formatDateTime(webhook.previousSecretExpiresAt)}.</p>}
      {/* a new version (a save, a pause, or another admin's after a 412) starts the form from it */}
      {editing && (
        <EditWebhookForm
          key={webhook.version}
          webhook={webhook}
          name={name}
          onDone={(outcome) => {
            setEdited(outcome);
            if ('saved' in outcome) setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      {open && <Deliveries webhook={webhook} />}
    </li>
  );
}

function Webhooks() {
  const webhooks = useWebhooks();
  const [created, setCreated] = useState<{ webhook: WebhookWithSecret; what: string } | null>(null);
  return (
    <section className="card" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p className="sub">Alert events POSTed to your integrations, signed (Standard Webhooks).</p>
      {created && (
        <div role="status" className="notice">
          <p>
            Webhook to {created.webhook.url} {created.what}. Its signing secret is shown this once — store it now:
          </p>
          <p>
            <code aria-label="Signing secret">{created.webhook.secret}</code>
          </p>
          <button type="button" onClick={() => setCreated(null)}>
            I have stored the secret
          </button>
        </div>
      )}
      <ErrorMessage error={webhooks.error ? messageOf(webhooks.error) : null} />
      {webhooks.isPending && <Loading what="the webhooks" />}
      {webhooks.data &&
        (webhooks.data.length === 0 ? (
          <p>No webhook yet.</p>
        ) : (
          <ul className="webhook-list" aria-label="Webhooks of the clinic">
            {webhooks.data.map((w) => (
              <WebhookItem key={w.id} webhook={w} onSecret={(webhook, what) => setCreated({ webhook, what })} />
            ))}
          </ul>
        ))}
      <CreateWebhookForm onCreated={(webhook) => setCreated({ webhook, what: 'added' })} />
    </section>
  );
}

export function NotificationsPage() {
  const settings = useNotificationSettings();
  const [outcome, setOutcome] = useState<{ saved: string } | { stale: true } | null>(null);
  return (
    <Page title="Notifications">
      <ErrorMessage error={settings.error ? messageOf(settings.error) : null} />
      {settings.isPending && <Loading what="the notification settings" />}
      <ErrorMessage error={outcome && 'stale' in outcome ? 'Another admin changed the notification settings meanwhile. The form now shows their version: make your change again.' : null} />
      <p role="status">{outcome && 'saved' in outcome ? outcome.saved : ''}</p>
      {/* a new version (a save, or another admin's after a 412) starts the form from it */}
      {settings.data && <SettingsForm key={settings.data.version} current={settings.data} onDone={setOutcome} />}
      <Webhooks />
    </Page>
  );
}
