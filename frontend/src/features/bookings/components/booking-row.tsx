import { Link } from "react-router";
import { Badge } from "@/components/ui/badge";
import { formatMoney } from "@/lib/money";
import { useViewerClock } from "@/lib/preferences";
import { formatDate, formatTime } from "@/lib/time";
import type { Booking } from "../api/bookings";
import { STATUS } from "../api/status";

export function BookingRow({ booking }: { booking: Booking }) {
  const { zone, cycle } = useViewerClock();
  const other = booking.viewer_role === "expert" ? booking.client : booking.expert;
  const status = STATUS[booking.status];
  return (
    <li className="relative flex flex-col gap-2 rounded-xl border bg-card p-4 focus-within:ring-2 focus-within:ring-ring sm:flex-row sm:items-center sm:justify-between">
      <div className="min-w-0">
        <p className="font-semibold" data-testid="booking-time">
          {formatDate(booking.start, zone)}, {formatTime(booking.start, zone, cycle)}–{formatTime(booking.end, zone, cycle)}
        </p>
        <p className="text-sm text-muted-foreground">
          <Link to={`/bookings/${booking.id}`} className="after:absolute after:inset-0 focus-visible:outline-none">
            {booking.area.title} with {other.full_name}
          </Link>
        </p>
      </div>
      <div className="flex items-center gap-3">
        <span className="text-sm">{formatMoney(booking.price.amount, booking.price.currency)}</span>
        <Badge variant={status.variant}>{status.label}</Badge>
      </div>
    </li>
  );
}
