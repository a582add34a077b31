import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { messageOf } from '../../../api/errors';
import type { Role, User } from '../../../api/types';
import { useUser } from '../../../auth/AuthProvider';
import { SelectField, TextField } from '../../../components/fields';
import { applyApiErrors, errorAt } from '../../../components/form-errors';
import { ErrorMessage, Loading, Page } from '../../../components/Page';
import { formatDate, optionsOf, ROLE_LABELS } from '../../../labels';
import { useCreateUser, useUpdateUser, useUsers } from '../api';

interface NewUser {
  email: string;
  name: string;
  role: string;
  password: string;
  specialty: string;
}

function CreateUserForm() {
  const create = useCreateUser();
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  const form = useForm<NewUser>({ defaultValues: { email: '', name: '', role: '', password: '', specialty: '' } });
  const onSubmit = async (v: NewUser) => {
    setError(null);
    setSaved('');
    try {
      const user = await create.mutateAsync({ email: v.email, name: v.name, role: (v.role || undefined) as Role, password: v.password, specialty: v.specialty.trim() || undefined });
      form.reset();
      setSaved(`Created ${user.name} (${ROLE_LABELS[user.role]}).`);
    } catch (err) {
      applyApiErrors(err, form.setError, (f) => (['email', 'name', 'role', 'password', 'specialty'].includes(f) ? f : null));
      setError(messageOf(err));
    }
  };
  const e = (n: keyof NewUser) => errorAt(form.formState.errors, n);
  return (
    <form className="form inline-form" noValidate onSubmit={form.handleSubmit(onSubmit)} aria-labelledby="new-user-heading">
      <h2 id="new-user-heading">Add a user</h2>
      <ErrorMessage error={error} />
      <div className="grid">
        <TextField label="Email" type="email" autoComplete="off" error={e('email')} {...form.register('email')} />
        <TextField label="Name" autoComplete="off" error={e('name')} {...form.register('name')} />
        <SelectField label="Role" blank="Choose…" options={optionsOf(ROLE_LABELS)} error={e('role')} {...form.register('role')} />
        <TextField label="Initial password" type="password" autoComplete="new-password" hint="At least 12 characters" error={e('password')} {...form.register('password')} />
        <TextField label="Specialty" hint="Optional, e.g. rheumatology" error={e('specialty')} {...form.register('specialty')} />
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
          Add user
        </button>
        <span role="status">{saved}</span>
      </div>
    </form>
  );
}

function UserRow({ user, self, onError }: { user: User; self: boolean; onError: (message: string | null) => void }) {
  const update = useUpdateUser();
  const [role, setRole] = useState<Role>(user.role);
  const change = async (body: { role?: Role; active?: boolean }) => {
    onError(null);
    try {
      await update.mutateAsync({ id: user.id, ...body });
    } catch (err) {
      onError(`${user.name}: ${messageOf(err)}`);
    }
  };
  return (
    <tr>
      <th scope="row">
        {user.name}
        <span className="sub">{user.email}</span>
        {user.specialty && <span className="sub">{user.specialty}</span>}
      </th>
      <td>
        <div className="inline-control">
          <SelectField label={`Role of ${user.name}`} className="label-hidden" options={optionsOf(ROLE_LABELS)} value={role} onChange={(e) => setRole(e.target.value as Role)} disabled={self} />
          <button type="button" onClick={() => void change({ role })} disabled={self || role === user.role || update.isPending}>
            Change role
          </button>
        </div>
      </td>
      <td>
        {user.active ? 'Active' : 'Disabled'}
        <span className="sub">since {formatDate(user.createdAt)}</span>
      </td>
      <td>
        {!self && (
          <button type="button" onClick={() => void change({ active: !user.active })} disabled={update.isPending} aria-label={`${user.active ? 'Disable' : 'Enable'} ${user.name}`}>
            {user.active ? 'Disable' : 'Enable'}
          </button>
        )}
      </td>
    </tr>
  );
}

export function UsersPage() {
  const me = useUser();
  const users = useUsers();
  const [error, setError] = useState<string | null>(null);
  return (
    <Page title="Users">
      <ErrorMessage error={error ?? (users.error ? messageOf(users.error) : null)} />
      {users.isPending && <Loading what="users" />}
      {users.data && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Users of the clinic</caption>
            <thead>
              <tr>
                <th scope="col">Name, email, specialty</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => (
                <UserRow key={u.id} user={u} self={u.id === me.id} onError={setError} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateUserForm />
    </Page>
  );
}
