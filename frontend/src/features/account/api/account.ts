import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import { useSession } from "@/api/session";
import type { components } from "@/api/schema";
import { uploadWithProgress } from "@/api/upload";
import { toProblem, unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";

export type Me = components["schemas"]["MeOut"];

export const accountKeys = {
  me: () => [scopes.me] as const,
  sessions: () => [scopes.sessions] as const,
};

export const meQuery = () => queryOptions({ queryKey: accountKeys.me(), queryFn: async () => unwrap(await api.GET("/v1/me")) });

export const sessionsQuery = () =>
  queryOptions({ queryKey: accountKeys.sessions(), queryFn: async () => unwrap(await api.GET("/v1/auth/sessions")) });

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: components["schemas"]["MeUpdate"]) => unwrap(await api.PATCH("/v1/me", { body })),
    onSuccess: (me) => {
      queryClient.setQueryData(accountKeys.me(), me);
      const { user, userChanged } = useSession.getState();
      if (user) userChanged({ ...user, full_name: me.full_name, time_zone: me.time_zone, locale: me.locale });
    },
  });
}

export const AVATAR_TYPES = ["image/png", "image/jpeg", "image/webp"];
/** The API's default limit (AVATAR_MAX_BYTES); a larger limit there is still refused here first. */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

export function avatarProblem(file: File): string | null {
  if (!AVATAR_TYPES.includes(file.type)) return "Choose a PNG, JPEG or WebP image.";
  if (file.size > AVATAR_MAX_BYTES) return `The image is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 2 MB.`;
  return null;
}

export function useUploadAvatar(onProgress: (fraction: number) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      try {
        return (await uploadWithProgress("/v1/me/avatar", file, onProgress)) as components["schemas"]["AvatarOut"];
      } catch (error) {
        throw toProblem(error);
      }
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.me() }),
  });
}

export function useRemoveAvatar() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.DELETE("/v1/me/avatar")),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.me() }),
  });
}

export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE("/v1/auth/sessions/{session_id}", { params: { path: { session_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.sessions() }),
  });
}
