import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { useSession } from "@/api/session";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";

export type ExpertProfile = components["schemas"]["ExpertProfileOut"];
export type ProfileUpdate = components["schemas"]["ExpertProfileUpdate"];

export const onboardingKeys = {
  profile: () => [scopes.experts, "me", "profile"] as const,
  areas: () => [scopes.experts, "me", "areas"] as const,
  availability: () => [scopes.availability, "mine"] as const,
};

export const myProfileQuery = () =>
  queryOptions({ queryKey: onboardingKeys.profile(), queryFn: async () => unwrap(await api.GET("/v1/experts/me/profile")) });

export const myAreasQuery = () =>
  queryOptions({ queryKey: onboardingKeys.areas(), queryFn: async () => unwrap(await api.GET("/v1/experts/me/areas")) });

export const myHoursQuery = () =>
  queryOptions({ queryKey: onboardingKeys.availability(), queryFn: async () => unwrap(await api.GET("/v1/experts/me/availability")) });

/** A client starts offering consultations; the session learns the new role at once. */
export function useBecomeExpert() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (timeZone: string) => {
      const profile = unwrap(await api.POST("/v1/experts/me/profile", { body: { time_zone: timeZone } }));
      useSession.getState().userChanged(unwrap(await api.GET("/v1/me")));
      return profile;
    },
    onSuccess: (profile) => queryClient.setQueryData(onboardingKeys.profile(), profile),
  });
}

export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (changes: ProfileUpdate) => unwrap(await api.PATCH("/v1/experts/me/profile", { body: changes })),
    onSuccess: (profile) => {
      queryClient.setQueryData(onboardingKeys.profile(), profile);
      void queryClient.invalidateQueries({ queryKey: [scopes.availability] });
    },
  });
}
