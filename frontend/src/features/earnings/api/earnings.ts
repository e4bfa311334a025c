import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";

export type Balance = components["schemas"]["BalanceOut"];
export type Earning = components["schemas"]["EarningOut"];
export type Payout = components["schemas"]["PayoutOut"];
export type PayoutAccount = components["schemas"]["PayoutAccountOut"];
export type ResolvedAccount = components["schemas"]["ResolvedAccountOut"];

export const earningsKeys = {
  balance: () => [scopes.payouts, "balance"] as const,
  policy: () => [scopes.payouts, "policy"] as const,
  lines: (cursor: string | null) => [scopes.payouts, "earnings", cursor] as const,
  banks: (currency: string) => [scopes.payouts, "banks", currency] as const,
  accounts: () => [scopes.payouts, "accounts"] as const,
  history: () => [scopes.payouts, "history"] as const,
};

export const balanceQuery = () => queryOptions({ queryKey: earningsKeys.balance(), queryFn: async () => unwrap(await api.GET("/v1/payouts/balance")) });

export const policyQuery = () =>
  queryOptions({ queryKey: earningsKeys.policy(), queryFn: async () => unwrap(await api.GET("/v1/payouts/policy")), staleTime: 3_600_000 });

export const earningsQuery = (cursor: string | null) =>
  queryOptions({
    queryKey: earningsKeys.lines(cursor),
    queryFn: async () => unwrap(await api.GET("/v1/earnings", { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })),
    placeholderData: keepPreviousData,
  });

export const banksQuery = (currency: string) =>
  queryOptions({ queryKey: earningsKeys.banks(currency), queryFn: async () => unwrap(await api.GET("/v1/payouts/banks", { params: { query: { currency } } })), staleTime: 3_600_000 });

export const accountsQuery = () => queryOptions({ queryKey: earningsKeys.accounts(), queryFn: async () => unwrap(await api.GET("/v1/payouts/accounts")) });

/** Payout history; polled while a payout is on its way (the live stream also refreshes it). */
export const payoutHistoryQuery = () =>
  queryOptions({
    queryKey: earningsKeys.history(),
    queryFn: async () => unwrap(await api.GET("/v1/payouts", { params: { query: { limit: 50 } } })),
    refetchInterval: (query) => ((query.state.data ?? []).some((p) => p.status === "pending" || p.status === "processing") ? 3000 : false),
  });

/** The CSV file of every paid booking, downloaded with the session's token. */
export async function downloadEarningsCsv(): Promise<void> {
  const blob = unwrap(await api.GET("/v1/earnings/export.csv", { parseAs: "blob" }));
  const url = URL.createObjectURL(blob as Blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: "procus-earnings.csv" });
  link.click();
  URL.revokeObjectURL(url);
}

export function useResolveAccount() {
  return useMutation({
    mutationFn: async (body: { bank_code: string; account_number: string }) => unwrap(await api.POST("/v1/payouts/account-name", { body })),
  });
}

export function useSaveAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { bank_code: string; account_number: string; name: string; currency: string }) => unwrap(await api.PUT("/v1/payouts/accounts", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: earningsKeys.accounts() }),
  });
}

export function useRequestPayout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { amount: number; currency: string }) =>
      unwrap(await api.POST("/v1/payouts", { body, headers: { "Idempotency-Key": crypto.randomUUID() } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [scopes.payouts] }),
  });
}
