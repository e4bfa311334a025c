import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { JoinCallButton } from "@/components/join-call-button";
import { ErrorState, LoadingState, PageHeader } from "@/components/page-state";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { useDocumentTitle } from "@/lib/document-title";
import { formatMoney } from "@/lib/money";
import { useViewerClock } from "@/lib/preferences";
import { formatDateTime, formatTime, zoneLabel } from "@/lib/time";
import { bookingEventsQuery, bookingQuery, calendarProfileQuery } from "../api/calendar";
import { NotesEditor } from "../components/notes-editor";

const ACTION_LABEL: Record<string, string> = {
  request: "Requested",
  pay: "Paid",
  accept: "Accepted",
  decline: "Declined",
  cancel: "Cancelled",
  expire: "Expired",
  propose_reschedule: "New time proposed",
  accept_reschedule: "New time accepted",
  decline_reschedule: "New time declined",
  complete: "Completed",
};

/** One call: when, with whom, its timeline, the join button and the expert's private notes. */
export function ExpertBookingPage() {
  const { bookingId = "" } = useParams();
  const booking = useQuery(bookingQuery(bookingId));
  const events = useQuery(bookingEventsQuery(bookingId));
  const profile = useQuery(calendarProfileQuery());
  const { cycle } = useViewerClock();
  useDocumentTitle(booking.data ? `Call with ${booking.data.client.full_name}` : "Call");
  if (booking.isError) return <ErrorState error={booking.error} onRetry={() => void booking.refetch()} />;
  if (booking.isPending || !profile.data) return <LoadingState label="Loading the call" />;
  const b = booking.data;
  const zone = profile.data.time_zone;
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-6">
      <PageHeader
        title={`${b.area.title} with ${b.client.full_name}`}
        description={<Link to="/expert/calendar" className="underline underline-offset-4">Back to calendar</Link>}
        actions={<JoinCallButton booking={b} />}
      />
      <Card>
        <CardContent className="grid gap-3 pt-6 text-sm sm:grid-cols-2">
          <div>
            <p className="text-muted-foreground">When ({zoneLabel(zone, new Date(b.start))})</p>
            <p className="font-medium">
              {formatDateTime(b.start, zone, cycle)}–{formatTime(b.end, zone, cycle)}
            </p>
            {b.client.time_zone !== zone && (
              <p className="text-muted-foreground">
                For {b.client.full_name}: {formatDateTime(b.start, b.client.time_zone, cycle)} ({zoneLabel(b.client.time_zone, new Date(b.start))})
              </p>
            )}
          </div>
          <div>
            <p className="text-muted-foreground">Status</p>
            <p className="flex flex-wrap gap-2">
              <Badge variant="secondary">{b.status.replaceAll("_", " ")}</Badge>
              <Badge variant="outline">{formatMoney(b.price.amount, b.price.currency)}</Badge>
            </p>
          </div>
          {b.note && (
            <div className="sm:col-span-2">
              <p className="text-muted-foreground">{b.client.full_name}'s note</p>
              <blockquote className="border-l-2 pl-3 italic">{b.note}</blockquote>
            </div>
          )}
        </CardContent>
      </Card>
      <NotesEditor bookingId={b.id} />
      <Card>
        <CardHeader>
          <CardTitle>Timeline</CardTitle>
        </CardHeader>
        <CardContent>
          {events.isError ? (
            <ErrorState error={events.error} />
          ) : (
            <ol className="flex flex-col gap-2 text-sm" aria-label="Timeline">
              {(events.data ?? []).map((e) => (
                <li key={e.id} className="flex flex-wrap gap-x-2">
                  <span className="tabular-nums text-muted-foreground">{formatDateTime(e.at, zone, cycle)}</span>
                  <span className="font-medium">{ACTION_LABEL[e.action] ?? e.action.replaceAll("_", " ")}</span>
                  <span className="text-muted-foreground">by {e.actor_role}</span>
                  {e.reason && <span>: “{e.reason}”</span>}
                </li>
              ))}
            </ol>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
