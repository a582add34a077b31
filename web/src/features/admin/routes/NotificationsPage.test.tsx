import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { NotificationSettings, Webhook } from '../../../api/types';
import { RequireSession } from '../../../auth/RequireSession';
import { MySettingsPage } from '../../account/routes/MySettingsPage';
import { mockApi, renderWithProviders, STAFF, tokens } from '../../../test/render';
import { NotificationsPage } from './NotificationsPage';

const ADMIN = { ...STAFF, id: '00000000-0000-4000-8000-000000000003', email: 'admin@demo.local', name: 'Demo Admin', role: 'admin' } as const;
const session = () => ({ body: tokens(ADMIN) });

function settings(version: number, values: Partial<NotificationSettings['settings']> = {}): NotificationSettings {
  return { version, settings: { emailAlerts: true, emailMinSeverity: 'high', dailyDigest: true, ...values }, createdAt: version > 1 ? '2026-12-01T10:00:00.000Z' : null, createdBy: null, mailConfigured: false };
}

const HOOK: Webhook = {
  id: '00000000-0000-4000-8000-0000000000f1',
  url: 'http://127.0.0.1:9/hooks',
  description: 'EHR inbox',
  events: ['alert.raised'],
  minSeverity: 'high',
  enabled: true,
  previousSecretExpiresAt: null,
  version: 1,
  createdBy: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
};

const page = () =>
  renderWithProviders(
    <RequireSession>
      <NotificationsPage />
    </RequireSession>,
  );

describe('notifications, for admins', () => {
  it('saves a change of the e-mail settings as a new version with If-Match; a 412 says another admin saved first and shows their version', async () => {
    let stored = settings(1);
    let stale = false;
    const { calls } = mockApi({
      'POST /api/v1/auth/refresh': session,
      'GET /api/v1/notification-settings': () => ({ body: stored }),
      'PUT /api/v1/notification-settings': (_req, body) => {
        if (stale) {
          stored = settings(3, { dailyDigest: false });
          return { status: 412, body: { statusCode: 412, error: 'Precondition Failed', message: 'the notification settings were changed meanwhile' } };
        }
        stored = settings(stored.version + 1, body as object);
        return { body: stored };
      },
      'GET /api/v1/webhooks': () => ({ body: { items: [], nextCursor: null } }),
    });
    page();
    const severity = await screen.findByLabelText('E-mail alerts at or above');
    expect(severity).toHaveDisplayValue('High');
    expect(screen.getByText(/This service sends no e-mail/)).toBeInTheDocument();
    await userEvent.selectOptions(severity, 'Warning');
    await userEvent.click(screen.getByRole('button', { name: 'Save notification settings' }));
    await waitFor(() => expect(screen.getByText('Saved as version 2.')).toBeInTheDocument());
    const put = calls.filter((c) => c.method === 'PUT');
    expect(put[0].headers.get('If-Match')).toBe('"1"');
    expect(put[0].body).toEqual({ emailAlerts: true, emailMinSeverity: 'warning', dailyDigest: true });
    await waitFor(() => expect(screen.getByLabelText('E-mail alerts at or above')).toHaveDisplayValue('Warning'));

    stale = true;
    await userEvent.click(screen.getByLabelText('E-mail alerts to the responsible physician'));
    await userEvent.click(screen.getByRole('button', { name: 'Save notification settings' }));
    expect(await screen.findByText(/Another admin changed the notification settings meanwhile/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Daily digest of unresolved alerts to each physician')).not.toBeChecked());
    expect(screen.getByLabelText('E-mail alerts to the responsible physician')).toBeChecked();
  });

  it("adds a webhook (the API's error on the URL field first), shows its secret once, pauses it and resends a dead delivery", async () => {
    let hooks: Webhook[] = [];
    let deliveryState = 'dead';
    const { calls } = mockApi({
      'POST /api/v1/auth/refresh': session,
      'GET /api/v1/notification-settings': () => ({ body: settings(1) }),
      'GET /api/v1/webhooks': () => ({ body: { items: hooks, nextCursor: null } }),
      'POST /api/v1/webhooks': (_req, body) => {
        const b = body as { url: string };
        if (b.url.startsWith('http://10.')) {
          return { status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'url: 10.0.0.1, private address', details: [{ field: 'url', messages: ['10.0.0.1, private address: webhooks reach public addresses only'] }] } };
        }
        hooks = [{ ...HOOK, ...(body as object) }];
        return { status: 201, body: { ...hooks[0], secret: 'whsec_c2VjcmV0LXNob3duLW9uY2U=' } };
      },
      [`PATCH /api/v1/webhooks/${HOOK.id}`]: (_req, body) => {
        hooks = [{ ...hooks[0], ...(body as object), version: hooks[0].version + 1 }];
        return { body: hooks[0] };
      },
      [`GET /api/v1/webhooks/${HOOK.id}/deliveries`]: () => ({
        body: {
          items: [
            { id: '00000000-0000-4000-8000-0000000000f2', webhookId: HOOK.id, event: 'alert.raised', alertId: HOOK.id, state: deliveryState, attempts: 8, nextAttemptAt: null, lastStatusCode: 503, lastError: 'Service Unavailable', deliveredAt: null, createdAt: '2026-12-01T11:00:00.000Z', attemptLog: [] },
          ],
          nextCursor: null,
        },
      }),
      [`POST /api/v1/webhooks/${HOOK.id}/rotate-secret`]: () => {
        hooks = [{ ...hooks[0], version: hooks[0].version + 1, previousSecretExpiresAt: '2026-12-02T11:00:00.000Z' }];
        return { body: { ...hooks[0], secret: 'whsec_bmV3LXNlY3JldA==' } };
      },
      [`DELETE /api/v1/webhooks/${HOOK.id}`]: () => {
        hooks = [];
        return { status: 204 };
      },
      [`POST /api/v1/webhooks/${HOOK.id}/deliveries/00000000-0000-4000-8000-0000000000f2/resend`]: () => {
        deliveryState = 'pending';
        return { body: {} };
      },
    });
    page();
    expect(await screen.findByText('No webhook yet.')).toBeInTheDocument();
    const url = screen.getByLabelText('URL');
    await userEvent.type(url, 'http://10.0.0.1/hooks');
    await userEvent.click(screen.getByRole('button', { name: 'Add webhook' }));
    await waitFor(() => expect(url).toHaveAttribute('aria-invalid', 'true'));
    expect(url.getAttribute('aria-describedby')!.split(' ').map((id) => document.getElementById(id)?.textContent)).toContain('10.0.0.1, private address: webhooks reach public addresses only');

    await userEvent.clear(url);
    await userEvent.type(url, HOOK.url);
    await userEvent.type(screen.getByLabelText('Description'), 'EHR inbox');
    await userEvent.selectOptions(screen.getByLabelText('Only alerts at or above'), 'High');
    await userEvent.click(screen.getByLabelText('Alert raised'));
    await userEvent.click(screen.getByRole('button', { name: 'Add webhook' }));
    expect(await screen.findByLabelText('Signing secret')).toHaveTextContent('whsec_c2VjcmV0LXNob3duLW9uY2U=');
    expect(calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/webhooks').at(-1)?.body).toEqual({ url: HOOK.url, description: 'EHR inbox', events: ['alert.raised'], minSeverity: 'high' });
    const list = await screen.findByRole('list', { name: 'Webhooks of the clinic' });
    expect(list).toHaveTextContent('Delivering · Alert raised · High and above');
    await userEvent.click(screen.getByRole('button', { name: 'I have stored the secret' }));
    expect(screen.queryByLabelText('Signing secret')).toBeNull();

    await userEvent.click(within(list).getByRole('button', { name: 'Pause EHR inbox' }));
    await waitFor(() => expect(screen.getByRole('list', { name: 'Webhooks of the clinic' })).toHaveTextContent('Paused'));
    expect(calls.find((c) => c.method === 'PATCH')?.headers.get('If-Match')).toBe('"1"');
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ enabled: false });

    await userEvent.click(screen.getByRole('button', { name: 'Deliveries of EHR inbox' }));
    const table = await screen.findByRole('table', { name: `Deliveries to ${HOOK.url}` });
    expect(table).toHaveTextContent('HTTP 503: Service Unavailable');
    await userEvent.click(within(table).getByRole('button', { name: /^Resend the delivery of / }));
    await waitFor(() => expect(within(screen.getByRole('table', { name: `Deliveries to ${HOOK.url}` })).queryByRole('button', { name: /^Resend/ })).toBeNull());
    expect(screen.getByRole('table', { name: `Deliveries to ${HOOK.url}` })).toHaveTextContent('pending');

    // a new signing secret, shown once; the old one keeps signing for a while
    await userEvent.click(screen.getByRole('button', { name: 'New signing secret for EHR inbox' }));
    expect(await screen.findByLabelText('Signing secret')).toHaveTextContent('whsec_bmV3LXNlY3JldA==');
    expect(screen.getByText(/has a new signing secret \(the old one keeps signing for 24 hours\)/)).toBeInTheDocument();
    expect(await screen.findByText(/The previous secret also signs until/)).toBeInTheDocument();
    expect(calls.find((c) => c.path.endsWith('/rotate-secret'))?.headers.get('If-Match')).toBe('"2"');

    // deleting asks once more, on the page (no browser pop-up)
    await userEvent.click(screen.getByRole('button', { name: 'Delete EHR inbox' }));
    await userEvent.click(screen.getByRole('button', { name: 'Really delete EHR inbox' }));
    expect(await screen.findByText('No webhook yet.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'DELETE')?.headers.get('If-Match')).toBe('"3"');
  });
  it("changes a webhook's URL, description and filters with If-Match (a refused URL's 400 on the URL field, nothing else sent); a 412 shows the other admin's version", async () => {
    let hooks: Webhook[] = [HOOK];
    let stale = false;
    const { calls } = mockApi({
      'POST /api/v1/auth/refresh': session,
      'GET /api/v1/notification-settings': () => ({ body: settings(1) }),
      'GET /api/v1/webhooks': () => ({ body: { items: hooks, nextCursor: null } }),
      [`PATCH /api/v1/webhooks/${HOOK.id}`]: (_req, body) => {
        const b = body as Partial<Webhook>;
        if (b.url?.startsWith('https://10.')) {
          return { status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'url: 10.0.0.1, private address', details: [{ field: 'url', messages: ['10.0.0.1, private address: webhooks reach public addresses only'] }] } };
        }
        if (stale) {
          hooks = [{ ...hooks[0], url: 'https://other.example/hooks', version: 7 }];
          return { status: 412, body: { statusCode: 412, error: 'Precondition Failed', message: 'the webhook was changed meanwhile' } };
        }
        hooks = [{ ...hooks[0], ...b, version: hooks[0].version + 1 }];
        return { body: hooks[0] };
      },
    });
    page();
    const list = await screen.findByRole('list', { name: 'Webhooks of the clinic' });
    await userEvent.click(within(list).getByRole('button', { name: 'Change EHR inbox' }));
    const form = within(screen.getByRole('form', { name: 'Change EHR inbox' }));
    const url = form.getByLabelText('URL');
    expect(url).toHaveValue(HOOK.url);
    expect(form.getByLabelText('Description')).toHaveValue('EHR inbox');
    expect(form.getByLabelText('Only alerts at or above')).toHaveDisplayValue('High');
    expect(form.getByLabelText('Alert raised')).toBeChecked();
    expect(form.getByLabelText('Alert resolved')).not.toBeChecked();

    await userEvent.clear(url);
    await userEvent.type(url, 'https://10.0.0.1/hooks');
    await userEvent.click(form.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(url).toHaveAttribute('aria-invalid', 'true'));
    expect(url.getAttribute('aria-describedby')!.split(' ').map((id) => document.getElementById(id)?.textContent)).toContain('10.0.0.1, private address: webhooks reach public addresses only');
    expect(form.getByLabelText('Description')).not.toHaveAttribute('aria-invalid');
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([{ url: 'https://10.0.0.1/hooks' }]);
    expect(list).toHaveTextContent(HOOK.url);

    // only what changed is sent: the URL, the description cleared, another event, every severity
    await userEvent.clear(url);
    await userEvent.type(url, 'https://ehr.example/hooks');
    await userEvent.clear(form.getByLabelText('Description'));
    await userEvent.click(form.getByLabelText('Alert raised'));
    await userEvent.click(form.getByLabelText('Alert escalated'));
    await userEvent.selectOptions(form.getByLabelText('Only alerts at or above'), 'Every severity');
    await userEvent.click(form.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Changes saved.')).toBeInTheDocument();
    const saved = calls.filter((c) => c.method === 'PATCH').at(-1)!;
    expect(saved.headers.get('If-Match')).toBe('"1"');
    expect(saved.body).toEqual({ url: 'https://ehr.example/hooks', description: null, events: ['alert.escalated'], minSeverity: null });
    expect(screen.queryByRole('form', { name: /^Change / })).toBeNull();
    await waitFor(() => expect(screen.getByRole('list', { name: 'Webhooks of the clinic' })).toHaveTextContent('https://ehr.example/hooksDelivering · Alert escalated · every severity'));

    // nothing changed: nothing sent
    const name = 'https://ehr.example/hooks';
    await userEvent.click(screen.getByRole('button', { name: `Change ${name}` }));
    await userEvent.click(within(screen.getByRole('form', { name: `Change ${name}` })).getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Nothing changed.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(2);

    // another admin changed it first: their version fills the form, to change again
    stale = true;
    await userEvent.click(screen.getByRole('button', { name: `Change ${name}` }));
    const again = within(screen.getByRole('form', { name: `Change ${name}` }));
    await userEvent.selectOptions(again.getByLabelText('Only alerts at or above'), 'Urgent');
    await userEvent.click(again.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText(/Another admin changed this webhook meanwhile/)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'PATCH').at(-1)?.headers.get('If-Match')).toBe('"2"');
    await waitFor(() => expect(within(screen.getByRole('form', { name: 'Change https://other.example/hooks' })).getByLabelText('URL')).toHaveValue('https://other.example/hooks'));
    expect(within(screen.getByRole('form', { name: 'Change https://other.example/hooks' })).getByLabelText('Only alerts at or above')).toHaveDisplayValue('Every severity');
  });
});

describe('my settings', () => {
  it('opts out of the daily digest and back, saved at once', async () => {
    let digest = true;
    const { calls } = mockApi({
      'POST /api/v1/auth/refresh': session,
      'GET /api/v1/notification-preferences': () => ({ body: { userId: ADMIN.id, dailyDigest: digest } }),
      'PUT /api/v1/notification-preferences': (_req, body) => {
        digest = (body as { dailyDigest: boolean }).dailyDigest;
        return { body: { userId: ADMIN.id, dailyDigest: digest } };
      },
    });
    renderWithProviders(
      <RequireSession>
        <MySettingsPage />
      </RequireSession>,
    );
    const box = await screen.findByLabelText('Send me the daily digest of unresolved alerts');
    expect(box).toBeChecked();
    await userEvent.click(box);
    expect(await screen.findByText('You no longer receive the daily digest.')).toBeInTheDocument();
    expect(screen.getByLabelText('Send me the daily digest of unresolved alerts')).not.toBeChecked();
    await userEvent.click(screen.getByLabelText('Send me the daily digest of unresolved alerts'));
    expect(await screen.findByText('You receive the daily digest.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'PUT').map((c) => c.body)).toEqual([{ dailyDigest: false }, { dailyDigest: true }]);
  });

  it('a refused save puts the box back and says why', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': session,
      'GET /api/v1/notification-preferences': () => ({ body: { userId: ADMIN.id, dailyDigest: true } }),
      'PUT /api/v1/notification-preferences': () => ({ status: 503, body: { statusCode: 503, error: 'Service Unavailable', message: 'the database is unavailable' } }),
    });
    renderWithProviders(
      <RequireSession>
        <MySettingsPage />
      </RequireSession>,
    );
    await userEvent.click(await screen.findByLabelText('Send me the daily digest of unresolved alerts'));
    expect(await screen.findByRole('alert')).toHaveTextContent('The service could not do it (503)');
    expect(screen.getByLabelText('Send me the daily digest of unresolved alerts')).toBeChecked();
  });
});
