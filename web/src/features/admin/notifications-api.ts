// Notifications: the clinic's e-mail settings (admin writes), webhook subscriptions (admin), and
// each user's own daily-digest preference.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { CreateWebhook, NotificationSettingsValues, UpdateWebhook, Webhook } from '../../api/types';

export function useNotificationSettings() {
  return useQuery({
    queryKey: ['notification-settings'],
    queryFn: async () => unwrap(await api.GET('/api/v1/notification-settings')),
  });
}

/** A new version of the settings, sent with If-Match: a 412 when another admin saved first. */
export function useUpdateNotificationSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ changes, version }: { changes: Partial<NotificationSettingsValues>; version: number }) =>
      unwrap(await api.PUT('/api/v1/notification-settings', { body: changes, params: { header: { 'If-Match': `"${version}"` } } })),
    onSettled: () => client.invalidateQueries({ queryKey: ['notification-settings'] }),
  });
}

export function useNotificationPreferences() {
  return useQuery({
    queryKey: ['notification-preferences'],
    queryFn: async () => unwrap(await api.GET('/api/v1/notification-preferences')),
  });
}

export function useUpdateNotificationPreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (dailyDigest: boolean) => unwrap(await api.PUT('/api/v1/notification-preferences', { body: { dailyDigest } })),
    onSuccess: (data) => client.setQueryData(['notification-preferences'], data),
  });
}

export function useWebhooks() {
  return useQuery({
    queryKey: ['webhooks'],
    queryFn: async () => unwrap(await api.GET('/api/v1/webhooks', { params: { query: { limit: 200 } } })).items,
  });
}

/** The answer carries the signing secret: the only time it is shown. */
export function useCreateWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateWebhook) => unwrap(await api.POST('/api/v1/webhooks', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['webhooks'] }),
  });
}

export function useSetWebhookEnabled() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ webhook, enabled }: { webhook: Webhook; enabled: boolean }) =>
      unwrap(await api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id: webhook.id }, header: { 'If-Match': `"${webhook.version}"` } }, body: { enabled } })),
    onSettled: () => client.invalidateQueries({ queryKey: ['webhooks'] }),
  });
}

/** A change of the URL (checked again by the service), description or filters, sent with If-Match: a 412 when another admin changed it first. */
export function useUpdateWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ webhook, changes }: { webhook: Webhook; changes: UpdateWebhook }) =>
      unwrap(await api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id: webhook.id }, header: { 'If-Match': `"${webhook.version}"` } }, body: changes })),
    onSettled: () => client.invalidateQueries({ queryKey: ['webhooks'] }),
  });
}

/** A new signing secret, shown once; the old one keeps signing for the overlap (the API's default, 24 h). */
export function useRotateWebhookSecret() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (webhook: Webhook) =>
      unwrap(await api.POST('/api/v1/webhooks/{id}/rotate-secret', { params: { path: { id: webhook.id }, header: { 'If-Match': `"${webhook.version}"` } }, body: {} })),
    onSettled: () => client.invalidateQueries({ queryKey: ['webhooks'] }),
  });
}

/** Deletes the subscription: its pending deliveries are cancelled, its delivery log kept. */
export function useDeleteWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (webhook: Webhook) => unwrap(await api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: webhook.id }, header: { 'If-Match': `"${webhook.version}"` } } })),
    onSettled: () => client.invalidateQueries({ queryKey: ['webhooks'] }),
  });
}

export function useDeliveries(webhookId: string) {
  return useQuery({
    queryKey: ['webhooks', webhookId, 'deliveries'],
    queryFn: async () => unwrap(await api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id: webhookId }, query: { limit: 50 } } })).items,
  });
}

export function useResendDelivery(webhookId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (deliveryId: string) => unwrap(await api.POST('/api/v1/webhooks/{id}/deliveries/{deliveryId}/resend', { params: { path: { id: webhookId, deliveryId } } })),
    onSettled: () => client.invalidateQueries({ queryKey: ['webhooks', webhookId, 'deliveries'] }),
  });
}
