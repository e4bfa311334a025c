import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";
import { sharedKeys } from "@/lib/shared-queries";

export type Area = components["schemas"]["AreaOut"];
export type AreaCreate = components["schemas"]["AreaCreate"];
export type AreaUpdate = components["schemas"]["AreaUpdate"];

export { categoriesQuery, myAreasQuery } from "@/lib/shared-queries";

function useAreaMutation<T>(run: (input: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: sharedKeys.myAreas() });
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
