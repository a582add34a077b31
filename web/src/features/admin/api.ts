import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Role, RuleSettingsValues, User } from '../../api/types';

export function useUsers() {
  return useQuery({
    queryKey: ['users'],
    queryFn: async () => {
      // a clinic's staff list: every page
      const all: User[] = [];
      let cursor: string | undefined;
      do {
        const page = unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 200, cursor } } }));
        all.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return all;
    },
  });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: { email: string; name: string; role: Role; password: string; specialty?: string }) => unwrap(await api.POST('/api/v1/users', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, ...body }: { id: string; role?: Role; active?: boolean }) => unwrap(await api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useRuleSettings() {
  return useQuery({
    queryKey: ['rule-settings'],
    queryFn: async () => {
      const result = await api.GET('/api/v1/rule-settings');
      return { current: unwrap(result), etag: result.response.headers.get('ETag') };
    },
  });
}

export function useRuleSettingsVersions() {
  return useInfiniteQuery({
    queryKey: ['rule-settings', 'versions'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => unwrap(await api.GET('/api/v1/rule-settings/versions', { params: { query: { limit: 20, cursor: pageParam } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useUpdateRuleSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ changes, etag }: { changes: Partial<RuleSettingsValues>; etag: string | null }) =>
      unwrap(await api.PUT('/api/v1/rule-settings', { body: changes, params: { header: etag ? { 'If-Match': etag } : {} } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['rule-settings'] }),
  });
}

export interface AuditFilter {
  patientId: string;
  actorId: string;
  from: string;
  to: string;
}

export function useAuditEvents(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: ['audit', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/api/v1/audit-events', {
          params: {
            query: {
              patientId: filter.patientId || undefined,
              actorId: filter.actorId || undefined,
              from: filter.from || undefined,
              to: filter.to || undefined,
              cursor: pageParam,
              limit: 100,
            },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** What the candidate values would cost on the simulator's seeded cohort, beside the current settings (stores nothing). */
export function useSimulateRuleSettings() {
  return useMutation({
    mutationFn: async (changes: Partial<RuleSettingsValues>) => unwrap(await api.POST('/api/v1/rule-settings/simulate', { body: changes })),
  });
}
