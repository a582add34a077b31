// The web app end to end, in Debian's Chromium, against the built service on a throwaway bundled
// database with the demo clinic: staff log a visit (a bad value first), a physician decides the
// alert it raised, the PDF report downloads, an admin changes a threshold. Every step leaves a
// screenshot in web/e2e/screenshots/ and every main page is checked with axe-core.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, launch, serious } from './support/browser';
import { apiAs, ROOT, startService, until, type RunningService } from './support/service';

const SHOTS = join(ROOT, 'web', 'e2e', 'screenshots');
const DOCS = join(ROOT, 'docs', 'screenshots');
const PASSWORD = 'calcitrack-demo';

let service: RunningService;
let browser: Awaited<ReturnType<typeof launch>>;
let context: BrowserContext;
let page: Page;
let patientId: string;
let alertId: string;
const timings: Record<string, number> = {};
const cspViolations: string[] = [];
const a11y: Record<string, { id: string; impact: string | null; targets: string[] }[]> = {};

/** A full-page screenshot of the step; with UPDATE_DOCS_SCREENSHOTS=1 also the README's picture (what the window shows). */
async function shot(name: string, docsName?: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  if (docsName && process.env.UPDATE_DOCS_SCREENSHOTS === '1') await page.screenshot({ path: join(DOCS, docsName) });
}

/** axe-core on the page: no serious or critical violation (the lesser ones are recorded). */
async function accessible(name: string): Promise<void> {
  const violations = await axe(page);
  a11y[name] = violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.flatMap((n) => n.target) }));
  expect(serious(violations), `${name}: ${JSON.stringify(serious(violations), null, 1)}`).toEqual([]);
}

/** No sideways scrolling at tablet width. */
async function fitsAt768(name: string): Promise<void> {
  const before = page.viewportSize()!;
  await page.setViewportSize({ width: 768, height: 1024 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  // nor does a table need a scroll bar of its own (a scrolling region a keyboard cannot reach)
  const wideTables = await page.evaluate(() => [...document.querySelectorAll('.table-wrap')].filter((w) => w.scrollWidth > w.clientWidth + 1).map((w) => w.querySelector('caption')?.textContent ?? '?'));
  if (overflow > 0 || wideTables.length) await page.screenshot({ path: join(SHOTS, `${name}-768-overflow.png`), fullPage: true });
  expect(overflow, `${name} scrolls sideways at 768 px`).toBe(0);
  expect(wideTables, `${name}: tables wider than the page at 768 px`).toEqual([]);
  await page.setViewportSize(before);
}

async function signIn(email: string): Promise<void> {
  await page.goto(`${service.url}/login`);
  await expect.poll(() => page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await expect.poll(() => page.getByRole('status').textContent()).toContain('You have signed out.');
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(DOCS, { recursive: true });
  service = await startService();
  browser = await launch();
  context = browser.context;
  page = context.pages()[0] ?? (await context.newPage());
  // the app's Content-Security-Policy stays in force for the whole journey: any violation is a failure
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => {
    if (m.text().startsWith('CSP violation')) cspViolations.push(m.text());
  });
  const staff = await apiAs(service.url, 'staff@demo.local');
  const found = await staff.get<{ items: { id: string; mrn: string }[] }>('/api/v1/patients?search=DEMO-0001');
  patientId = found.body.items.find((p) => p.mrn === 'DEMO-0001')!.id;
});

afterAll(async () => {
  writeFileSync(join(SHOTS, 'results.json'), `${JSON.stringify({ timings, a11y, cspViolations }, null, 2)}\n`);
  await browser?.close();
  await service?.stop();
});

const visitsOf = async () => (await (await apiAs(service.url, 'staff@demo.local')).get<{ items: unknown[] }>(`/api/v1/patients/${patientId}/visits?limit=200`)).body.items.length;

describe('the web app, as clinic staff, a physician and an admin use it', () => {
  it('staff sign in', async () => {
    await page.goto(`${service.url}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await accessible('login');
    await shot('01-login');
    await signIn('staff@demo.local');
    await page.getByRole('heading', { name: 'Patients', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Patients', 'Alerts']);
    // the session lives in memory and in an httpOnly cookie: nothing a script can read (the readable cookie is the service's hint that there is a session, no token)
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie])).toEqual([0, 0, 'calcitrack_session=1']);
    await accessible('patients');
    await shot('02-patients');
  });

  it('find the demo patient and see the body map and the trend charts', async () => {
    await page.getByLabel('Search by MRN or name').fill('DEMO-0001');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Maria Demo' }).click();
    await page.getByRole('heading', { name: 'Maria Demo', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Body map' }).waitFor();
    const finger = page.getByRole('button', { name: /^R index pulp \(right finger\), worst open alert (High|Urgent)/ });
    await finger.waitFor();
    await page.getByRole('img', { name: /^Longest diameter of R index pulp over time/ }).waitFor();
    await page.getByRole('img', { name: /^Longest diameter of L olecranon over time/ }).waitFor();
    expect(await page.getByText('Current tier').locator('..').textContent()).toContain('tier 1 (local or low-risk therapy)');
    // selecting a marker takes the reader to that deposit
    await page.getByRole('button', { name: /^L olecranon \(left elbow\), / }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('L olecranon (left elbow)');
    await page.evaluate(() => window.scrollTo(0, 0));
    await accessible('patient');
    await fitsAt768('patient');
    await shot('03-patient', 'patient.png');
  });

  it('a visit with one bad value: the error is on the field and nothing is stored', async () => {
    const before = await visitsOf();
    await page.getByRole('link', { name: 'Log a visit' }).click();
    await page.getByRole('form', { name: 'Log a visit' }).waitFor();
    const elbow = page.getByRole('group', { name: 'L olecranon (left elbow)' });
    expect(await elbow.getByLabel('Method').inputValue()).toBe('xray');
    await elbow.getByLabel('Longest diameter (mm)').fill('-25');
    await page.getByRole('button', { name: 'Save visit' }).click();
    const field = elbow.getByLabel('Longest diameter (mm)');
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toMatch(/must be a positive number/i);
    expect(await page.getByRole('alert').first().textContent()).toContain('The visit was not saved');
    expect(await visitsOf()).toBe(before);
    await accessible('visit-form-with-error');
    await fitsAt768('visit-form');
    await elbow.scrollIntoViewIfNeeded();
    await shot('04-visit-bad-value', 'visit-form.png');
  });

  it('then a good one that raises a growth alert', async () => {
    const before = await visitsOf();
    const elbow = page.getByRole('group', { name: 'L olecranon (left elbow)' });
    // 15 mm at the nadir by X-ray; 25 mm is +10 mm, +67 %: growth with no trend needed
    await elbow.getByLabel('Longest diameter (mm)').fill('25');
    await elbow.getByLabel('Pain (0–10)').fill('3');
    await page.getByRole('button', { name: 'Save visit' }).click();
    await page.getByRole('heading', { name: /^Visit of \d{4}-\d{2}-\d{2} saved$/ }).waitFor();
    const raised = page.getByRole('listitem').filter({ hasText: 'Deposit growth' });
    expect(await raised.textContent()).toMatch(/High.*Deposit growth \(new\).*L olecranon grew from 15 mm/);
    alertId = (await raised.getByRole('link', { name: 'Deposit growth' }).getAttribute('href'))!.split('/').pop()!;
    expect(await visitsOf()).toBe(before + 1);
    await accessible('visit-saved');
    await shot('05-visit-saved');
  });

  it('the PDF report downloads as a file named by the API', async () => {
    await page.getByRole('link', { name: 'View the patient' }).click();
    await page.getByRole('heading', { name: 'Maria Demo', level: 1 }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PDF report' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^calcitrack-report-DEMO-0001-\d{4}-\d{2}-\d{2}\.pdf$/);
    const file = join(browser.downloads, download.suggestedFilename());
    await download.saveAs(file);
    const pdf = readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(5_000);
    // no new tab: the app stays where it was
    expect(context.pages()).toHaveLength(1);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Downloaded' }).textContent()).toContain(download.suggestedFilename());
    await shot('06-pdf-downloaded');
  });

  it("staff correct an evaluation with a reason, and change the patient's responsible physician", async () => {
    const finger = page.getByRole('region', { name: 'R index pulp (right finger)' });
    await finger.getByText(/^Every evaluation of R index pulp/).click();
    await finger.getByRole('button', { name: /^Correct the evaluation of / }).first().click();
    const correction = finger.getByRole('region', { name: /^Correct the evaluation of R index pulp on / });
    await correction.getByRole('list', { name: 'Versions of this evaluation' }).getByText(/^Version 1/).waitFor();
    await correction.getByLabel('Notes').fill('Re-measured from the clinic photograph.');
    await correction.getByLabel('Reason for the correction').fill('note added on review');
    await correction.getByRole('button', { name: 'Save correction' }).click();
    await correction.getByText('Saved as version 2. Earlier versions are kept.').waitFor();
    await correction.getByRole('list', { name: 'Versions of this evaluation' }).getByText(/^Version 2, .* — note added on review$/).waitFor();
    await accessible('evaluation-correction');
    await shot('06a-evaluation-corrected');
    const staff = await apiAs(service.url, 'staff@demo.local');
    const latest = (await staff.get<{ evaluations: { id: string; version: number; notes: string | null }[] }>(`/api/v1/deposits/${(await staff.get<{ items: { id: string; label: string }[] }>(`/api/v1/patients/${patientId}/deposits`)).body.items.find((d) => d.label === 'R index pulp')!.id}`)).body.evaluations.at(-1)!;
    expect(latest).toMatchObject({ version: 2, notes: 'Re-measured from the clinic photograph.' });
    await correction.getByRole('button', { name: 'Close' }).click();

    const physicianOf = async () => (await staff.get<{ responsiblePhysicianId: string | null }>(`/api/v1/patients/${patientId}`)).body.responsiblePhysicianId;
    const demoPhysician = await physicianOf();
    expect(demoPhysician).not.toBeNull();
    for (const [choice, shown] of [['None yet', 'None yet'], ['Dr. Demo Physician (rheumatology)', 'Dr. Demo Physician']] as const) {
      await page.getByRole('link', { name: 'Change details' }).click();
      await page.getByRole('heading', { name: 'Change details of Maria Demo', level: 1 }).waitFor();
      const select = page.getByLabel('Responsible physician');
      await select.selectOption({ label: choice });
      if (choice === 'None yet') {
        await accessible('patient-edit');
        await fitsAt768('patient-edit');
        await shot('06b-patient-edit');
      }
      await page.getByRole('button', { name: 'Save changes' }).click();
      // back on the patient page (its heading is the name alone; the edit page's contains it)
      await page.getByRole('heading', { name: 'Maria Demo', level: 1, exact: true }).waitFor();
      await page.getByRole('heading', { name: 'Body map' }).waitFor();
      await expect.poll(() => page.locator('.patient-facts').getByText('Responsible physician').locator('..').textContent()).toBe(`Responsible physician${shown}`);
      expect(await physicianOf()).toBe(choice === 'None yet' ? null : demoPhysician);
    }
    await signOut();
  });

  it('a physician finds the alert in the inbox (interactive within a second) and resolves it with a note', async () => {
    await signIn('physician@demo.local');
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    // a fresh load of the inbox: the session from the cookie, the alerts, the first link clickable
    const started = Date.now();
    await page.goto(`${service.url}/inbox`);
    await page.getByRole('list', { name: 'Alerts' }).getByRole('link').first().waitFor();
    timings.inboxInteractiveMs = Date.now() - started;
    timings.inboxNavigationTiming = await page.evaluate(() => Math.round((performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd));
    console.log(`inbox of the demo clinic interactive after ${timings.inboxInteractiveMs} ms (DOMContentLoaded at ${timings.inboxNavigationTiming} ms)`);
    await accessible('inbox');
    await fitsAt768('inbox');
    await shot('07-inbox', 'inbox.png');

    await page.getByLabel('Rule').selectOption({ label: 'Deposit growth' });
    const link = page.getByRole('link', { name: 'Deposit growth: Maria Demo, L olecranon' });
    await link.waitFor();
    await link.click();
    await page.getByRole('heading', { name: 'Deposit growth: Maria Demo', level: 1 }).waitFor();
    await page.getByRole('img', { name: /^Longest diameter of L olecranon over time/ }).waitFor();
    await page.getByRole('heading', { name: 'Evidence history' }).waitFor();
    await accessible('alert');
    await fitsAt768('alert');
    await shot('08-alert');

    // meanwhile a colleague acknowledges it: the page's ETag is stale, the resolve answers 412
    const colleague = await apiAs(service.url, 'physician@demo.local');
    expect((await colleague.post(`/api/v1/alerts/${alertId}/acknowledge`)).status).toBe(200);
    await page.getByRole('group', { name: 'Decision' }).getByLabel('Continue').check();
    await page.getByLabel('Note').fill('Growth noted; continue colchicine and re-image in 3 months.');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Someone else changed this alert');
    await expect.poll(() => page.getByText(/^Acknowledged$/).count()).toBeGreaterThan(0);
    await shot('09-alert-412');

    // the new state is shown; the decision goes through on it
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Resolved.' }).count()).toBe(1);
    expect(await page.getByText('Growth noted; continue colchicine and re-image in 3 months.').count()).toBe(1);
    const stored = await colleague.get<{ status: string; decision: string; note: string; resolvedByName: string }>(`/api/v1/alerts/${alertId}`);
    expect(stored.body).toMatchObject({ status: 'resolved', decision: 'continue', note: 'Growth noted; continue colchicine and re-image in 3 months.', resolvedByName: 'Dr. Demo Physician' });
    await shot('10-alert-resolved');
    await signOut();
  });

  it('an admin changes a threshold', async () => {
    await signIn('admin@demo.local');
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Patients', 'Alerts', 'Users', 'Rule settings', 'Notifications', 'Audit trail']);
    await accessible('users');
    await fitsAt768('users');
    await shot('11-users');
    await page.getByRole('link', { name: 'Rule settings' }).click();
    await page.getByRole('heading', { name: 'Rule settings', level: 1 }).waitFor();
    const growthMm = page.getByLabel('Deposit growth over the nadir (mm)');
    expect(await growthMm.inputValue()).toBe('5');
    await growthMm.fill('6');
    // what the candidate value would cost, before saving it
    await page.getByRole('button', { name: 'Simulate' }).click();
    const simulated = page.getByRole('status').filter({ hasText: 'False alerts per patient-year, all rules' });
    await simulated.waitFor({ timeout: 60_000 });
    await page.getByRole('rowheader', { name: /^Deposit growth/ }).waitFor();
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved as version' }).textContent()).toMatch(/Saved as version 2/);
    await expect.poll(() => page.getByRole('cell', { name: 'Deposit growth over the nadir (mm): 5 → 6' }).count()).toBe(1);
    const admin = await apiAs(service.url, 'admin@demo.local');
    expect((await admin.get<{ version: number; settings: { growthMm: number } }>('/api/v1/rule-settings')).body).toMatchObject({ version: 2, settings: { growthMm: 6 } });
    await accessible('rule-settings');
    await fitsAt768('rule-settings');
    await shot('12-rule-settings');

    // notifications: a new version of the e-mail settings, and a webhook whose secret shows once
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await page.getByLabel('E-mail alerts at or above').selectOption({ label: 'Warning' });
    await page.getByRole('button', { name: 'Save notification settings' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved as version' }).textContent()).toBe('Saved as version 2.');
    const url = page.getByLabel('URL');
    await url.fill('http://10.0.0.1/hooks');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true');
    await url.fill('http://127.0.0.1:9/hooks/ehr');
    await page.getByLabel('Description').fill('EHR inbox');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    expect(await page.getByLabel('Signing secret', { exact: true }).textContent()).toMatch(/^whsec_/);
    await page.getByRole('list', { name: 'Webhooks of the clinic' }).getByRole('heading', { name: 'EHR inbox' }).waitFor();
    expect((await admin.get<{ version: number; settings: { emailMinSeverity: string } }>('/api/v1/notification-settings')).body).toMatchObject({ version: 2, settings: { emailMinSeverity: 'warning' } });
    await accessible('notifications');
    await fitsAt768('notifications');
    await shot('12a-notifications');
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    await page.getByRole('button', { name: 'Deliveries of EHR inbox' }).click();
    await page.getByText('No delivery yet.').waitFor();

    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    await page.getByRole('cell', { name: 'rule-settings.update' }).first().waitFor();
    await accessible('audit');
    await fitsAt768('audit');
    await shot('13-audit');

    // everyone's own settings: the daily digest opt-out
    await page.getByRole('link', { name: /^My settings: / }).click();
    await page.getByRole('heading', { name: 'My settings', level: 1 }).waitFor();
    const digest = page.getByLabel('Send me the daily digest of unresolved alerts');
    expect(await digest.isChecked()).toBe(true);
    await digest.uncheck();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'daily digest' }).textContent()).toBe('You no longer receive the daily digest.');
    expect((await admin.get<{ dailyDigest: boolean }>('/api/v1/notification-preferences')).body.dailyDigest).toBe(false);
    await accessible('my-settings');
    await fitsAt768('my-settings');
    await shot('14-my-settings');
  });

  it("kept the pages' Content-Security-Policy: no violation on any page", async () => {
    // the policy is in force: an inline script is refused and reported
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
    });
    await until('the violation report', () => cspViolations.length > 0, 5_000);
    expect(await page.evaluate(() => (window as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
    expect(cspViolations).toHaveLength(1);
    expect(cspViolations[0]).toMatch(/^CSP violation: script-src/);
  });
});
