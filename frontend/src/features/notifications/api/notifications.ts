import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";

export const notificationKeys = {
  all: [scopes.notifications] as const,
  latest: () => [scopes.notifications, "latest"] as const,
};

/** The newest notifications and the unread count (the bell). */
export const latestNotificationsQuery = () =>
  queryOptions({
    queryKey: notificationKeys.latest(),
    queryFn: async () => unwrap(await api.GET("/v1/notifications", { params: { query: { limit: 20 } } })),
    staleTime: 60_000,
  });

export async function mintStreamTicket(): Promise<string> {
  return unwrap(await api.POST("/v1/notifications/stream-ticket")).ticket;
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST("/v1/notifications/{notification_id}/read", { params: { path: { notification_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST("/v1/notifications/read-all")),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}
