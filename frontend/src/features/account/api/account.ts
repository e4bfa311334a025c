import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import { meQuery, type Me } from "@/lib/shared-queries";
import { useSession } from "@/api/session";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";

export type { Me };

export const accountKeys = {
  sessions: () => [scopes.sessions] as const,
};

export const sessionsQuery = () =>
  queryOptions({ queryKey: accountKeys.sessions(), queryFn: async () => unwrap(await api.GET("/v1/auth/sessions")) });

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: components["schemas"]["MeUpdate"]) => unwrap(await api.PATCH("/v1/me", { body })),
    onSuccess: (me) => {
      queryClient.setQueryData(meQuery().queryKey, me);
      const { user, userChanged } = useSession.getState();
      if (user) userChanged({ ...user, full_name: me.full_name, time_zone: me.time_zone, locale: me.locale });
    },
  });
}

export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE("/v1/auth/sessions/{session_id}", { params: { path: { session_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.sessions() }),
  });
}
