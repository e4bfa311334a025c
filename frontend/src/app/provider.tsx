import { QueryClientProvider } from "@tanstack/react-query";
import type * as React from "react";
import { useEffect } from "react";
import { Toaster } from "sonner";
import { restoreSession } from "@/api/client";
import { useSession } from "@/api/session";
import { latestNotificationsQuery } from "@/features/notifications/api/notifications";
import { queryClient } from "./query-client";

/**
 * As a session starts, ask for the bell's list before any page asks for its data: the list's `last_seq`
 * is where the live stream resumes, so it must be no newer than anything the page shows.
 */
function readNotificationsFirst(): () => void {
  return useSession.subscribe((now, before) => {
    if (now.status === "signed-in" && before.status !== "signed-in") void queryClient.prefetchQuery(latestNotificationsQuery());
  });
}

/** Server state (TanStack Query), toasts, and the session restored from the refresh cookie on load. */
export function AppProvider({ children }: { children: React.ReactNode }) {
  useEffect(() => {
    const stop = readNotificationsFirst();
    void restoreSession();
    return stop;
  }, []);
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      {/* Just below the sticky header (its height is published by the header), never over its links. */}
      <Toaster
        position="top-right"
        richColors
        closeButton
        offset={{ top: "calc(var(--app-header-height, 3.5rem) + 0.75rem)", right: "1.5rem" }}
        mobileOffset={{ top: "calc(var(--app-header-height, 6.5rem) + 0.5rem)", left: "1rem", right: "1rem" }}
      />
    </QueryClientProvider>
  );
}
