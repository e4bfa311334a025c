import { useQuery } from "@tanstack/react-query";
import { Bell } from "lucide-react";
import { Link } from "react-router";
import { useSession } from "@/api/session";
import { Button } from "@/components/ui/button";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { ErrorState, LoadingState } from "@/components/page-state";
import { useViewerClock } from "@/lib/preferences";
import { formatDateTime } from "@/lib/time";
import { cn } from "@/lib/utils";
import { latestNotificationsQuery, useMarkAllRead, useMarkRead } from "../api/notifications";
import { useNotificationStream } from "../api/use-notification-stream";

function linkOf(data: Record<string, unknown>): string | null {
  const url = data.url;
  return typeof url === "string" && url.startsWith("/") ? url : null;
}

/** The bell: unread count, the latest notifications, live through the stream. */
export function NotificationBell() {
  const signedIn = useSession((s) => s.status === "signed-in");
  useNotificationStream(signedIn);
  const query = useQuery({ ...latestNotificationsQuery(), enabled: signedIn });
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const { zone, cycle } = useViewerClock();
  const unread = query.data?.unread_count ?? 0;
  return (
    <Popover>
      <PopoverTrigger asChild>
        <Button variant="ghost" size="icon" className="relative" aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}>
          <Bell aria-hidden />
          {unread > 0 && (
            <span className="absolute right-1 top-1 flex min-w-4 items-center justify-center rounded-full bg-red-700 px-1 text-[10px] font-bold leading-4 text-white" aria-hidden>
              {unread > 99 ? "99+" : unread}
            </span>
          )}
        </Button>
      </PopoverTrigger>
      <PopoverContent align="end" className="w-80 p-0">
        <div className="flex items-center justify-between border-b px-3 py-2">
          <h2 className="text-sm font-semibold">Notifications</h2>
          <Button variant="link" size="sm" className="h-auto p-0" disabled={!unread || markAll.isPending} onClick={() => markAll.mutate()}>
            Mark all read
          </Button>
        </div>
        <div className="max-h-96 overflow-y-auto p-2">
          {query.isPending && <LoadingState rows={2} label="Loading notifications" />}
          {query.isError && <ErrorState error={query.error} onRetry={() => void query.refetch()} />}
          {query.data?.items.length === 0 && <p className="p-3 text-center text-sm text-muted-foreground">Nothing yet.</p>}
          <ul className="flex flex-col gap-1">
            {query.data?.items.map((n) => {
              const to = linkOf(n.data);
              const body = (
                <>
                  <span className={cn("block text-sm", !n.read_at && "font-semibold")}>{n.title}</span>
                  <span className="block text-xs text-muted-foreground">{n.body}</span>
                  <span className="block text-xs text-muted-foreground">{formatDateTime(n.created_at, zone, cycle)}</span>
                </>
              );
              const onOpen = () => {
                if (!n.read_at) markRead.mutate(n.id);
              };
              return (
                <li key={n.id} className={cn("rounded-md", !n.read_at && "bg-accent/60")}>
                  {to ? (
                    <Link to={to} onClick={onOpen} className="block rounded-md p-2 hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
                      {body}
                    </Link>
                  ) : (
                    <button type="button" onClick={onOpen} className="block w-full rounded-md p-2 text-left hover:bg-accent">
                      {body}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      </PopoverContent>
    </Popover>
  );
}
