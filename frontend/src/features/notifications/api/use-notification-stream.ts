import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { toast } from "sonner";
import type { components } from "@/api/schema";
import { scopesAffectedBy } from "@/lib/query-scopes";
import { TicketedStream } from "@/lib/sse";
import { latestNotificationsQuery, mintStreamTicket, notificationKeys } from "./notifications";

type Notification = components["schemas"]["NotificationOut"];

/**
 * While signed in: the live notification stream; each event refreshes what it affects and shows a toast.
 * The stream resumes from the `last_seq` of the bell's list (read as the page loads), so a notification
 * committed while the page was still loading and minting its ticket is delivered, not skipped.
 */
export function useNotificationStream(enabled: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    const stream = new TicketedStream({
      url: "/v1/notifications/stream",
      events: ["notification"],
      mintTicket: mintStreamTicket,
      resumeFrom: async () => String((await queryClient.ensureQueryData(latestNotificationsQuery())).last_seq),
      onEvent: (event) => {
        if (event.type !== "notification") return;
        let notification: Notification;
        try {
          notification = JSON.parse(event.data) as Notification;
        } catch {
          return;
        }
        void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
        for (const scope of scopesAffectedBy(notification.kind)) void queryClient.invalidateQueries({ queryKey: [scope] });
        toast(notification.title, { id: notification.id, description: notification.body });
      },
    });
    stream.start();
    return () => stream.stop();
  }, [enabled, queryClient]);
}
