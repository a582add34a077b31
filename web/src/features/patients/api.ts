// The patient pages' server state: each hook one API call, typed by the generated client.
import { useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { CreatePatient, CreateTreatment, DepositDetail, LabInput, Patient, Treatment } from '../../api/types';

export const patientKeys = {
  all: ['patients'] as const,
  search: (search: string) => ['patients', 'search', search] as const,
  one: (id: string) => ['patients', id] as const,
  deposits: (id: string) => ['patients', id, 'deposits'] as const,
  deposit: (depositId: string) => ['deposits', depositId] as const,
  treatments: (id: string) => ['patients', id, 'treatments'] as const,
  labs: (id: string) => ['patients', id, 'labs'] as const,
  alerts: (id: string) => ['alerts', 'patient', id] as const,
  physicians: ['physicians'] as const,
};

export function usePatientSearch(search: string) {
  return useInfiniteQuery({
    queryKey: patientKeys.search(search),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/api/v1/patients', { params: { query: { search: search || undefined, cursor: pageParam, limit: 50 } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function usePatient(id: string) {
  return useQuery({
    queryKey: patientKeys.one(id),
    enabled: id !== '',
    queryFn: async () => unwrap(await api.GET('/api/v1/patients/{id}', { params: { path: { id } } })),
  });
}

export function useDeposits(patientId: string) {
  return useQuery({
    queryKey: patientKeys.deposits(patientId),
    queryFn: async () => unwrap(await api.GET('/api/v1/patients/{id}/deposits', { params: { path: { id: patientId }, query: { limit: 200 } } })).items,
  });
}

/** Each deposit's course (baseline, nadir, latest and the changes, as the API computes them). */
export function useDepositDetails(depositIds: readonly string[]) {
  return useQueries({
    queries: depositIds.map((id) => ({
      queryKey: patientKeys.deposit(id),
      queryFn: async (): Promise<DepositDetail> => unwrap(await api.GET('/api/v1/deposits/{id}', { params: { path: { id } } })),
    })),
  });
}

export function useDepositDetail(depositId: string | null) {
  return useQuery({
    queryKey: patientKeys.deposit(depositId ?? 'none'),
    enabled: depositId !== null,
    queryFn: async (): Promise<DepositDetail> => unwrap(await api.GET('/api/v1/deposits/{id}', { params: { path: { id: depositId! } } })),
  });
}

export function useTreatments(patientId: string, enabled = true) {
  return useQuery({
    queryKey: patientKeys.treatments(patientId),
    enabled: enabled && patientId !== '',
    queryFn: async () => unwrap(await api.GET('/api/v1/patients/{id}/treatments', { params: { path: { id: patientId }, query: { limit: 200 } } })).items,
  });
}

export function useLabs(patientId: string, enabled = true) {
  return useQuery({
    queryKey: patientKeys.labs(patientId),
    enabled,
    queryFn: async () => unwrap(await api.GET('/api/v1/patients/{id}/labs', { params: { path: { id: patientId }, query: { limit: 200 } } })).items,
  });
}

/** Every alert of the patient, decided ones too (the charts mark them), most severe first. */
export function usePatientAlerts(patientId: string) {
  return useQuery({
    queryKey: patientKeys.alerts(patientId),
    enabled: patientId !== '',
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/alerts', { params: { query: { patientId, status: 'open,acknowledged,resolved', limit: 200 } } })).items,
  });
}

export function useCreatePatient() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, idempotencyKey }: { body: CreatePatient; idempotencyKey: string }) =>
      unwrap(await api.POST('/api/v1/patients', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: patientKeys.all }),
  });
}

/** The clinic's active physicians by name (a clinic has a handful: the first page of 200 is all of them). */
export function usePhysicians() {
  return useQuery({
    queryKey: patientKeys.physicians,
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await api.GET('/api/v1/users/physicians', { params: { query: { limit: 200 } } })).items,
  });
}

/** Changes a patient's details, sent with If-Match: a 412 when someone changed them meanwhile. */
export function useUpdatePatient(patient: Patient) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreatePatient) =>
      unwrap(await api.PATCH('/api/v1/patients/{id}', { body, params: { path: { id: patient.id }, header: { 'If-Match': `"${patient.version}"` } } })),
    onSettled: () => client.invalidateQueries({ queryKey: patientKeys.all }),
  });
}

export function useCreateTreatment(patientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, idempotencyKey }: { body: CreateTreatment; idempotencyKey: string }) =>
      unwrap(await api.POST('/api/v1/patients/{id}/treatments', { body, params: { path: { id: patientId }, header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: patientKeys.treatments(patientId) });
      void client.invalidateQueries({ queryKey: patientKeys.one(patientId) });
    },
  });
}

export function useEndTreatment(patientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ treatment, endedOn, outcome }: { treatment: Treatment; endedOn: string; outcome: string }) =>
      unwrap(
        await api.PATCH('/api/v1/treatments/{id}', {
          params: { path: { id: treatment.id }, header: { 'If-Match': `"${treatment.version}"` } },
          body: { endedOn: endedOn || undefined, outcome: outcome || undefined },
        }),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: patientKeys.treatments(patientId) });
      void client.invalidateQueries({ queryKey: patientKeys.one(patientId) });
    },
  });
}

export function useCreateLab(patientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, idempotencyKey }: { body: LabInput; idempotencyKey: string }) =>
      unwrap(await api.POST('/api/v1/patients/{id}/labs', { body, params: { path: { id: patientId }, header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: patientKeys.labs(patientId) });
      void client.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
}
