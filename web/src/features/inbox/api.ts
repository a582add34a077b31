import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import type { AlertDetail, Decision, RuleCode } from '../../api/types';

export interface InboxFilter {
  status: string;
  severity: string;
  rule: RuleCode | '';
  mine: boolean;
}

export function useInbox(filter: InboxFilter) {
  return useInfiniteQuery({
    queryKey: ['alerts', 'inbox', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/api/v1/alerts', {
          params: {
            query: {
              status: filter.status || undefined,
              severity: filter.severity || undefined,
              rule: filter.rule || undefined,
              mine: filter.mine || undefined,
              cursor: pageParam,
              limit: 50,
            },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export interface AlertWithTag {
  alert: AlertDetail;
  /** the ETag of this read: changes are sent with If-Match, so a stale one is a 412 */
  etag: string | null;
}

export function alertKey(id: string) {
  return ['alerts', 'one', id] as const;
}

export function useAlert(id: string) {
  return useQuery({
    queryKey: alertKey(id),
    queryFn: async (): Promise<AlertWithTag> => {
      const result = await api.GET('/api/v1/alerts/{id}', { params: { path: { id } } });
      return { alert: unwrap(result), etag: result.response.headers.get('ETag') };
    },
  });
}

/** Acknowledge or resolve, with If-Match: someone else's decision in between answers 412. */
export function useAlertDecision(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (
      change: { kind: 'acknowledge'; etag: string | null } | { kind: 'resolve'; etag: string | null; decision: Decision; note: string },
    ): Promise<AlertWithTag> => {
      const header = change.etag ? { 'If-Match': change.etag } : {};
      const result =
        change.kind === 'acknowledge'
          ? await api.POST('/api/v1/alerts/{id}/acknowledge', { params: { path: { id }, header } })
          : await api.POST('/api/v1/alerts/{id}/resolve', {
              params: { path: { id }, header },
              body: { decision: change.decision, note: change.note.trim() === '' ? undefined : change.note },
            });
      return { alert: unwrap(result), etag: result.response.headers.get('ETag') };
    },
    onSuccess: (data) => {
      client.setQueryData(alertKey(id), data);
      void client.invalidateQueries({ queryKey: ['alerts'], predicate: (q) => q.queryKey[1] !== 'one' });
    },
    onError: (err) => {
      // someone else decided (412) or it is resolved already (409): show the alert as it is now
      if (err instanceof ApiError && (err.status === 412 || err.status === 409)) void client.invalidateQueries({ queryKey: alertKey(id) });
    },
  });
}
