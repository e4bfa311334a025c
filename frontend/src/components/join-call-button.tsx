import { Clock, Video } from "lucide-react";
import { Link } from "react-router";
import { Button } from "@/components/ui/button";
import { callPath, formatCountdown, joinState, useNow } from "@/lib/join-window";

/** What the button needs from a booking (`BookingOut`): any feature that shows a booking can render it. */
export interface JoinableBooking {
  id: string;
  status: string;
  call_status: string;
  join_opens_at: string;
  join_closes_at: string;
}

const OVER = new Set(["completed", "no_show_client", "no_show_expert", "no_show_both", "cancelled", "declined", "expired"]);

/**
 * "Join call" for a confirmed booking, opening the lobby only inside the API's join window: a countdown
 * before it, "Call ended" after it or once the call is over. Renders nothing for bookings with no call.
 */
export function JoinCallButton({ booking, size = "default" }: { booking: JoinableBooking; size?: "default" | "sm" }) {
  const now = useNow(1000);
  if (OVER.has(booking.status) || booking.call_status === "ended") {
    return booking.status === "completed" || booking.call_status === "ended" ? (
      <Button size={size} variant="outline" disabled data-join="ended">
        Call ended
      </Button>
    ) : null;
  }
  if (booking.status !== "confirmed") return null;
  const state = joinState(booking.join_opens_at, booking.join_closes_at, now);
  if (state.kind === "after") {
    return (
      <Button size={size} variant="outline" disabled data-join="ended">
        Call ended
      </Button>
    );
  }
  if (state.kind === "before") {
    return (
      <Button size={size} variant="outline" disabled data-join="before">
        <Clock aria-hidden /> Join in <span className="tabular-nums">{formatCountdown(state.msLeft)}</span>
      </Button>
    );
  }
  return (
    <Button size={size} asChild data-join="open">
      <Link to={callPath(booking.id)}>
        <Video aria-hidden /> Join call
      </Link>
    </Button>
  );
}
