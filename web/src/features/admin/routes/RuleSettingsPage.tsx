import { useEffect, useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { ApiError, messageOf } from '../../../api/errors';
import type { RuleSettings, RuleSettingsValues } from '../../../api/types';
import { CheckboxField, FieldGroup, TextField } from '../../../components/fields';
import { applyApiErrors, errorAt, numberOrText } from '../../../components/form-errors';
import { ErrorMessage, Loading, Page } from '../../../components/Page';
import { formatDateTime } from '../../../labels';
import { useRuleSettings, useRuleSettingsVersions, useUpdateRuleSettings, useUsers } from '../api';
import { RuleSimulator } from '../components/RuleSimulator';
import { fieldLabel, labelOf, RULE_SETTING_FIELDS } from '../rule-setting-labels';

type FormValues = Record<string, string | boolean>;

function toForm(settings: RuleSettingsValues): FormValues {
  const values = settings as unknown as Record<string, unknown>;
  return Object.fromEntries(RULE_SETTING_FIELDS.map((f) => [f.key, f.type === 'boolean' ? Boolean(values[f.key]) : String(values[f.key] ?? '')]));
}

/** The values the form changed from the current version, as the API takes them. */
function changesOf(values: FormValues, current: RuleSettingsValues): Partial<RuleSettingsValues> {
  const now = current as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of RULE_SETTING_FIELDS) {
    const v = f.type === 'boolean' ? values[f.key] : numberOrText(values[f.key] as string);
    if (v !== undefined && v !== now[f.key]) out[f.key] = v;
  }
  return out as Partial<RuleSettingsValues>;
}

function range(f: (typeof RULE_SETTING_FIELDS)[number]): string | undefined {
  if (f.minimum === undefined && f.maximum === undefined) return undefined;
  return `${f.minimum ?? ''}–${f.maximum ?? ''}${f.type === 'integer' ? ', whole number' : ''}`;
}

function Versions({ names }: { names: Map<string, string> }) {
  const versions = useRuleSettingsVersions();
  const items = versions.data?.pages.flatMap((p) => p.items) ?? [];
  const changed = (v: RuleSettings, before: RuleSettings | undefined) => {
    if (!before) return 'the defaults';
    const a = v.settings as unknown as Record<string, unknown>;
    const b = before.settings as unknown as Record<string, unknown>;
    const keys = Object.keys(a).filter((k) => a[k] !== b[k]);
    return keys.map((k) => `${fieldLabel(k)}: ${String(b[k])} → ${String(a[k])}`).join('; ') || 'no change';
  };
  return (
    <section className="card" aria-labelledby="versions-heading">
      <h2 id="versions-heading">Versions</h2>
      {versions.isPending && <Loading what="versions" />}
      <ErrorMessage error={versions.error ? messageOf(versions.error) : null} />
      {items.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Versions of the rule settings, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Written</th>
                <th scope="col">By</th>
                <th scope="col">What changed</th>
              </tr>
            </thead>
            <tbody>
              {items.map((v, i) => (
                <tr key={v.version}>
                  <td>{v.version}</td>
                  <td>{formatDateTime(v.createdAt)}</td>
                  <td>{v.createdBy ? (names.get(v.createdBy) ?? 'a former user') : '—'}</td>
                  <td>{changed(v, items[i + 1])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {versions.hasNextPage && (
        <button type="button" onClick={() => void versions.fetchNextPage()}>
          Show older versions
        </button>
      )}
    </section>
  );
}

export function RuleSettingsPage() {
  const settings = useRuleSettings();
  const users = useUsers();
  const update = useUpdateRuleSettings();
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  const form = useForm<FormValues>();
  const current = settings.data?.current;
  useEffect(() => {
    if (current) form.reset(toForm(current.settings));
  }, [current, form]);
  const watched = useWatch({ control: form.control });
  const candidate = current ? changesOf(watched as FormValues, current.settings) : {};
  const names = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u.name])), [users.data]);

  if (settings.isPending) return <Loading what="the rule settings" />;
  if (!current) {
    return (
      <Page title="Rule settings">
        <ErrorMessage error={messageOf(settings.error)} />
      </Page>
    );
  }

  const onSubmit = async (values: FormValues) => {
    setError(null);
    setSaved('');
    const changes = changesOf(values, current.settings);
    if (Object.keys(changes).length === 0) {
      setSaved('Nothing changed.');
      return;
    }
    try {
      const next = await update.mutateAsync({ changes, etag: settings.data?.etag ?? null });
      setSaved(`Saved as version ${next.version}. New evaluations are checked against it; existing alerts keep the version that raised them.`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        setError('Another admin changed the settings meanwhile. The form now shows their version; make your change again.');
        void settings.refetch();
        return;
      }
      applyApiErrors(err, form.setError, (f) => (RULE_SETTING_FIELDS.some((x) => x.key === f) ? f : null));
      setError(messageOf(err));
    }
  };

  const groups = [...new Set(RULE_SETTING_FIELDS.map((f) => labelOf(f.key).group))];
  return (
    <Page title="Rule settings" subtitle={<p>Version {current.version}{current.createdAt ? `, written ${formatDateTime(current.createdAt)}` : ' (the defaults)'}</p>}>
      <form className="form rule-settings" noValidate onSubmit={form.handleSubmit(onSubmit)} aria-label="Edit the rule settings">
        <ErrorMessage error={error} />
        {groups.map((g) => (
          <FieldGroup key={g} legend={g} className="grid">
            {RULE_SETTING_FIELDS.filter((f) => labelOf(f.key).group === g).map((f) =>
              f.type === 'boolean' ? (
                <CheckboxField key={f.key} label={fieldLabel(f.key)} error={errorAt(form.formState.errors, f.key)} {...form.register(f.key)} />
              ) : (
                <TextField key={f.key} label={fieldLabel(f.key)} inputMode="decimal" hint={range(f)} error={errorAt(form.formState.errors, f.key)} {...form.register(f.key)} />
              ),
            )}
          </FieldGroup>
        ))}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
            Save as a new version
          </button>
          <span role="status">{saved}</span>
        </div>
      </form>
      <RuleSimulator candidate={candidate} />
      <Versions names={names} />
    </Page>
  );
}
