import { queryOptions } from "@tanstack/react-query";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";
import { api } from "./client";
import type { components } from "./schema";

export type Me = components["schemas"]["MeOut"];

/** The signed-in user's own account (with the avatar URL): the account page and the avatar picker share it. */
export const meQuery = () => queryOptions({ queryKey: [scopes.me] as const, queryFn: async () => unwrap(await api.GET("/v1/me")) });
