import { useMutation, useQuery } from "@tanstack/react-query";
import { CalendarPlus } from "lucide-react";
import { Link, useParams } from "react-router";
import { ErrorState, LoadingState, PageHeader } from "@/components/page-state";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ClockSettings } from "@/components/clock-settings";
import { useDocumentTitle } from "@/lib/document-title";
import { formatMoney } from "@/lib/money";
import { useViewerClock } from "@/lib/preferences";
import { problemMessage } from "@/lib/problem";
import { formatDateTime, formatTime, zoneLabel } from "@/lib/time";
import { bookingQuery, downloadInvite, useAnswerReschedule } from "../api/bookings";
import { STATUS } from "../api/status";
import { BookingTimeline } from "../components/booking-timeline";
import { CancelDialog } from "../components/cancel-dialog";

/** The API issues a calendar event once the expert has confirmed. */
const WITH_INVITE = new Set(["confirmed"]);

export function BookingDetailPage() {
  const { bookingId = "" } = useParams();
  const query = useQuery(bookingQuery(bookingId));
  const { zone, cycle } = useViewerClock();
  const answer = useAnswerReschedule(bookingId);
  const invite = useMutation({ mutationFn: () => downloadInvite(bookingId) });
  useDocumentTitle(query.data ? `Booking: ${query.data.area.title}` : "Booking");
  if (query.isPending) return <LoadingState label="Loading the booking" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const booking = query.data;
  const status = STATUS[booking.status];
  const other = booking.viewer_role === "expert" ? booking.client : booking.expert;
  const can = (action: string) => booking.actions.includes(action as (typeof booking.actions)[number]);

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={`${booking.area.title} with ${other.full_name}`}
        description={<Link to="/bookings" className="text-primary underline-offset-4 hover:underline">← My bookings</Link>}
        actions={<ClockSettings />}
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card>
          <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
            <CardTitle data-testid="booking-when">
              {formatDateTime(booking.start, zone, cycle)}–{formatTime(booking.end, zone, cycle)}
            </CardTitle>
            <Badge variant={status.variant} data-testid="booking-status">
              {status.label}
            </Badge>
          </CardHeader>
          <CardContent className="flex flex-col gap-4">
            <p className="text-sm text-muted-foreground">
              {zoneLabel(zone, new Date(booking.start))} · {booking.duration_minutes} min · {formatMoney(booking.price.amount, booking.price.currency)}
            </p>
            <p className="text-sm">{status.explain}</p>
            {booking.status === "pending" && booking.answer_by && (
              <p className="text-sm">The expert answers by {formatDateTime(booking.answer_by, zone, cycle)}.</p>
            )}
            {booking.note && (
              <p className="rounded-md bg-muted p-3 text-sm">
                <span className="font-medium">Your note:</span> {booking.note}
              </p>
            )}
            {booking.status === "reschedule_proposed" && booking.proposed_start && (
              <Alert>
                <p className="font-medium">
                  Proposed new time: {formatDateTime(booking.proposed_start, zone, cycle)}
                  {booking.proposed_end && `–${formatTime(booking.proposed_end, zone, cycle)}`}
                </p>
                {booking.status_reason && <p className="mt-1">“{booking.status_reason}”</p>}
                <div className="mt-3 flex flex-wrap gap-2">
                  {can("accept_reschedule") && (
                    <Button size="sm" disabled={answer.isPending} onClick={() => answer.mutate(true)}>
                      Accept the new time
                    </Button>
                  )}
                  {can("decline_reschedule") && (
                    <Button size="sm" variant="outline" disabled={answer.isPending} onClick={() => answer.mutate(false)}>
                      Keep the original time
                    </Button>
                  )}
                </div>
                {answer.isError && <p className="mt-2 text-sm text-red-800">{problemMessage(answer.error)}</p>}
              </Alert>
            )}
            <div className="flex flex-wrap gap-2">
              {WITH_INVITE.has(booking.status) && (
                <Button variant="outline" onClick={() => invite.mutate()} disabled={invite.isPending}>
                  <CalendarPlus aria-hidden /> Add to calendar (.ics)
                </Button>
              )}
              {can("cancel") && <CancelDialog booking={booking} />}
            </div>
            {invite.isError && <Alert variant="destructive">{problemMessage(invite.error)}</Alert>}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Timeline</CardTitle>
          </CardHeader>
          <CardContent>
            <BookingTimeline bookingId={booking.id} />
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
