import { useQuery } from "@tanstack/react-query";
import { ErrorState, LoadingState } from "@/components/page-state";
import { useViewerClock } from "@/lib/preferences";
import { formatDateTime } from "@/lib/time";
import { bookingEventsQuery } from "../api/bookings";
import { actionWords } from "../api/status";

/** Everything that happened to the booking, oldest first. */
export function BookingTimeline({ bookingId }: { bookingId: string }) {
  const { zone, cycle } = useViewerClock();
  const query = useQuery(bookingEventsQuery(bookingId));
  if (query.isPending) return <LoadingState rows={2} label="Loading the timeline" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <ol className="relative flex flex-col gap-4 border-l pl-5">
      {query.data.map((event) => (
        <li key={event.id} className="relative">
          <span aria-hidden className="absolute -left-[1.65rem] top-1.5 size-2.5 rounded-full bg-primary" />
          <p className="text-sm font-medium">{actionWords(event.action)}</p>
          <p className="text-xs text-muted-foreground">
            {formatDateTime(event.at, zone, cycle)} · by {event.actor_role}
            {event.reason ? ` · “${event.reason}”` : ""}
          </p>
        </li>
      ))}
    </ol>
  );
}
