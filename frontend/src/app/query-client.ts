import { QueryClient } from "@tanstack/react-query";
import { ApiProblem } from "@/lib/problem";

/** Retry only what may succeed on a second try: no answer at all, or a 5xx/429. */
export function shouldRetry(failures: number, error: unknown): boolean {
  if (failures >= 2) return false;
  if (error instanceof ApiProblem) return error.status === 0 || error.status === 429 || error.status >= 500;
  return true;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, retry: shouldRetry, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}

/** The one client of the app; route loaders use it to start fetching while a page's code loads. */
export const queryClient = createQueryClient();
