import { CheckCircle2, NotebookPen, Wallet } from "lucide-react";
import type * as React from "react";
import { Link } from "react-router";
import { Button } from "@/components/ui/button";
import type { Call, CallBooking } from "../api/calls";

const OUTCOME: Record<string, string> = {
  completed: "The consultation is complete.",
  no_show_client: "The client did not join this call.",
  no_show_expert: "The expert did not join this call.",
  no_show_both: "Neither of you joined this call.",
  cancelled: "This call was cancelled.",
};

/**
 * After the call: the client sees it completed and is asked for a review (`review`, composed by the
 * page); the expert goes on to their private notes and earnings.
 */
export function AfterCall({ call, booking, review }: { call: Call; booking: CallBooking; review?: React.ReactNode }) {
  const other = booking.viewer_role === "expert" ? booking.client : booking.expert;
  const status = call.booking_status === "completed" ? "completed" : call.status;
  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-6" data-testid="after-call" data-status={status}>
      <div className="flex flex-col items-center gap-3 text-center">
        <CheckCircle2 className="size-10 text-emerald-600" aria-hidden />
        <h2 className="text-2xl font-semibold">{OUTCOME[status] ?? "This call has ended."}</h2>
        <p className="text-muted-foreground">
          {booking.area.title} with {other.full_name}
        </p>
      </div>
      {booking.viewer_role === "expert" ? (
        <div className="flex flex-wrap justify-center gap-3">
          <Button asChild>
            <Link to={`/expert/calendar/${booking.id}`}>
              <NotebookPen aria-hidden /> Write your notes
            </Link>
          </Button>
          <Button asChild variant="outline">
            <Link to="/expert/earnings">
              <Wallet aria-hidden /> See your earnings
            </Link>
          </Button>
        </div>
      ) : (
        status === "completed" && review
      )}
    </div>
  );
}
