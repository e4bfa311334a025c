import { AlertTriangle } from "lucide-react";
import { formatCountdown, useNow } from "@/lib/join-window";
import { useViewerClock } from "@/lib/preferences";
import { formatTime } from "@/lib/time";
import type { Call } from "../api/calls";

/** How long warns before the platform closes the room at the end of the grace period. */
const WARN_BEFORE_CLOSE_MS = 5 * 60_000;

/** Time left until the scheduled end, then in the grace period, with a warning before the room closes. */
export function TimeLeft({ call }: { call: Call }) {
  const now = useNow(1000);
  const { zone, cycle } = useViewerClock();
  const end = Date.parse(call.ends_at);
  const close = Date.parse(call.closes_at);
  const toClose = close - now;
  if (now < end) {
    return (
      <p className="text-sm" data-testid="time-left">
        <span className="tabular-nums font-medium">{formatCountdown(end - now)}</span> left · ends at {formatTime(call.ends_at, zone, cycle)}
      </p>
    );
  }
  return (
    <p role={toClose <= WARN_BEFORE_CLOSE_MS ? "alert" : undefined} className="flex items-center gap-1 text-sm text-amber-300" data-testid="time-left">
      <AlertTriangle className="size-4" aria-hidden />
      Over time: the call closes at {formatTime(call.closes_at, zone, cycle)} (<span className="tabular-nums">{formatCountdown(Math.max(0, toClose))}</span>)
    </p>
  );
}
