import { useQuery } from "@tanstack/react-query";
import { ErrorState, LoadingState } from "@/components/page-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useViewerClock } from "@/lib/preferences";
import { formatDateTime } from "@/lib/time";
import { sessionsQuery, useRevokeSession } from "../api/account";

function device(userAgent: string): string {
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Chrome\//.test(userAgent) ? "Chrome" : /Firefox\//.test(userAgent) ? "Firefox" : /Safari\//.test(userAgent) ? "Safari" : "A browser";
  const system = /Android/.test(userAgent) ? "Android" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Windows/.test(userAgent) ? "Windows" : /Mac OS/.test(userAgent) ? "macOS" : /Linux/.test(userAgent) ? "Linux" : "";
  return system ? `${browser} on ${system}` : browser;
}

/** Where this account is signed in; any other session can be ended from here. */
export function SessionsList() {
  const { zone, cycle } = useViewerClock();
  const query = useQuery(sessionsQuery());
  const revoke = useRevokeSession();
  if (query.isPending) return <LoadingState rows={2} label="Loading your sessions" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <ul className="flex flex-col divide-y">
      {query.data.map((s) => (
        <li key={s.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
          <div>
            <p className="font-medium">
              {device(s.user_agent)} {s.current && <Badge variant="success">This browser</Badge>}
            </p>
            <p className="text-xs text-muted-foreground">
              {s.ip || "unknown address"} · last used {formatDateTime(s.last_used_at, zone, cycle)}
            </p>
          </div>
          {!s.current && (
            <Button variant="outline" size="sm" disabled={revoke.isPending} onClick={() => revoke.mutate(s.id)}>
              Sign out this session
            </Button>
          )}
        </li>
      ))}
    </ul>
  );
}
