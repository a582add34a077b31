import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { AmendEvaluation, CreateVisit } from '../../api/types';
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

/** Every version of an evaluation, oldest first, each with its reason. */
export function useEvaluationHistory(evaluationId: string) {
  return useQuery({
    queryKey: ['evaluations', evaluationId, 'history'],
    queryFn: async () => unwrap(await api.GET('/api/v1/evaluations/{id}/history', { params: { path: { id: evaluationId }, query: { limit: 200 } } })).items,
  });
}

/** POST an amendment: a new version of the evaluation with its reason; the deposit's course and alerts follow. */
export function useAmendEvaluation(evaluationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: AmendEvaluation) => unwrap(await api.POST('/api/v1/evaluations/{id}/amendments', { body, params: { path: { id: evaluationId } } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['evaluations', evaluationId] });
      void client.invalidateQueries({ queryKey: ['deposits'] });
      void client.invalidateQueries({ queryKey: ['patients'] });
      void client.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
}
