import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { CreateVisit } from '../../api/types';
import { patientKeys } from '../patients/api';

/** POST a visit: one transaction for the visit, its new deposits, evaluations, labs and alerts. */
export function useLogVisit(patientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, idempotencyKey }: { body: CreateVisit; idempotencyKey: string }) =>
      unwrap(await api.POST('/api/v1/patients/{id}/visits', { body, params: { path: { id: patientId }, header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: patientKeys.one(patientId) });
      void client.invalidateQueries({ queryKey: patientKeys.deposits(patientId) });
      void client.invalidateQueries({ queryKey: patientKeys.labs(patientId) });
      void client.invalidateQueries({ queryKey: ['deposits'] });
      void client.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
}
