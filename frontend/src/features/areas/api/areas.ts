import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";

export type Area = components["schemas"]["AreaOut"];
export type AreaCreate = components["schemas"]["AreaCreate"];
export type AreaUpdate = components["schemas"]["AreaUpdate"];

export const areaKeys = {
  mine: () => [scopes.experts, "me", "areas"] as const,
  categories: () => [scopes.categories] as const,
};

export const myAreasQuery = () => queryOptions({ queryKey: areaKeys.mine(), queryFn: async () => unwrap(await api.GET("/v1/experts/me/areas")) });

export const categoriesQuery = () =>
  queryOptions({ queryKey: areaKeys.categories(), queryFn: async () => unwrap(await api.GET("/v1/categories")), staleTime: 3_600_000 });

function useAreaMutation<T>(run: (input: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: areaKeys.mine() });
      void queryClient.invalidateQueries({ queryKey: [scopes.availability] });
      void queryClient.invalidateQueries({ queryKey: [scopes.slots] });
    },
  });
}

export const useCreateArea = () => useAreaMutation(async (body: AreaCreate) => unwrap(await api.POST("/v1/experts/me/areas", { body })));

export const useUpdateArea = () =>
  useAreaMutation(async ({ id, changes }: { id: string; changes: AreaUpdate }) =>
    unwrap(await api.PATCH("/v1/experts/me/areas/{area_id}", { params: { path: { area_id: id } }, body: changes })),
  );

export const useDeactivateArea = () =>
  useAreaMutation(async (id: string) => unwrap(await api.DELETE("/v1/experts/me/areas/{area_id}", { params: { path: { area_id: id } } })));
