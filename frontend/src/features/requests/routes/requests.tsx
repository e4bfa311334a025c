import { useQuery } from "@tanstack/react-query";
import { EmptyState, ErrorState, LoadingState, PageHeader } from "@/components/page-state";
import { useDocumentTitle } from "@/lib/document-title";
import { useNow } from "@/lib/join-window";
import { useViewerClock } from "@/lib/preferences";
import { zoneLabel } from "@/lib/time";
import { expertProfileQuery, pendingRequestsQuery } from "../api/requests";
import { RequestCard } from "../components/request-card";

/** New booking requests, live: the notification stream refreshes this list (and toasts) as they arrive. */
export function RequestsPage() {
  useDocumentTitle("Requests");
  const requests = useQuery(pendingRequestsQuery());
  const profile = useQuery(expertProfileQuery());
  const { cycle } = useViewerClock();
  const now = new Date(useNow(30_000));
  const zone = profile.data?.time_zone;
  if (requests.isError) return <ErrorState error={requests.error} onRetry={() => void requests.refetch()} />;
  if (requests.isPending || !zone) return <LoadingState label="Loading requests" />;
  const items = requests.data.items;
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4">
      <PageHeader title="Requests" description={`Times in your zone, ${zoneLabel(zone)}, and the client's.`} />
      <p className="sr-only" aria-live="polite">
        {items.length} request{items.length === 1 ? "" : "s"} waiting
      </p>
      {items.length === 0 ? (
        <EmptyState title="No requests waiting">New requests appear here as soon as clients book.</EmptyState>
      ) : (
        <ul className="flex flex-col gap-3" aria-label="Requests waiting for your answer">
          {items.map((request) => (
            <RequestCard key={request.id} request={request} zone={zone} cycle={cycle} now={now} />
          ))}
        </ul>
      )}
    </div>
  );
}
