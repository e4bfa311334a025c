import { QueryClientProvider } from "@tanstack/react-query";
import type * as React from "react";
import { useEffect } from "react";
import { Toaster } from "sonner";
import { restoreSession } from "@/api/client";
import { queryClient } from "./query-client";

/** Server state (TanStack Query), toasts, and the session restored from the refresh cookie on load. */
export function AppProvider({ children }: { children: React.ReactNode }) {
  useEffect(() => {
    void restoreSession();
  }, []);
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      <Toaster position="top-right" richColors closeButton />
    </QueryClientProvider>
  );
}
