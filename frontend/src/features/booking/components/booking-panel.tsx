import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";
import type { components } from "@/api/schema";
import { useSession } from "@/api/session";
import { ClockSettings } from "@/components/clock-settings";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formatMoney } from "@/lib/money";
import { useViewerClock } from "@/lib/preferences";
import { scopes } from "@/lib/query-scopes";
import { formatDateTime, formatTime, zoneLabel } from "@/lib/time";
import { cn } from "@/lib/utils";
import { BookingDialog } from "./booking-dialog";
import { SlotPicker } from "./slot-picker";

type Expert = components["schemas"]["PublicExpertOut"];

/** `?day=yyyy-MM-dd`: the day to open the calendar on (the directory's "Free on" day). */
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Pick an area and a time and book it. The choice lives in the URL (`?area=…&slot=…`, and `day=…` to
 * open on a day), so signing in on the way comes back to the same choice, and a link can be shared.
 */
export function BookingPanel({ expert }: { expert: Expert }) {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const signedIn = useSession((s) => s.status === "signed-in");
  const { zone, cycle } = useViewerClock();
  const [attempt, setAttempt] = useState(0);
  const [taken, setTaken] = useState<string | null>(null);
  const area = expert.areas.find((a) => a.id === params.get("area")) ?? expert.areas[0];
  const slot = params.get("slot");
  const day = params.get("day");

  const choose = (next: { area?: string; slot?: string | null }) => {
    const updated = new URLSearchParams(params);
    if (next.area) updated.set("area", next.area);
    if (next.slot === null || next.area) updated.delete("slot");
    if (next.slot) updated.set("slot", next.slot);
    setParams(updated, { replace: true, preventScrollReset: true });
  };
  const book = () => {
    if (!signedIn) {
      navigate(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`);
      return;
    }
    setTaken(null);
    setAttempt((n) => n + 1);
  };

  if (!area) return <Alert>This expert has no consultations to book yet.</Alert>;
  return (
    <section aria-labelledby="book-heading" className="flex flex-col gap-4 rounded-xl border bg-card p-4 sm:p-6">
      <h2 id="book-heading" className="text-xl font-semibold">
        Book a consultation
      </h2>
      {expert.areas.length > 1 && (
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium">Consultation</legend>
          {expert.areas.map((a) => (
            <label key={a.id} className={cn("flex cursor-pointer items-center justify-between gap-2 rounded-md border p-3 text-sm", a.id === area.id && "border-primary bg-accent")}>
              <span className="flex items-center gap-2">
                <input type="radio" name="area" className="accent-[var(--primary)]" checked={a.id === area.id} onChange={() => choose({ area: a.id })} />
                {a.title}
              </span>
              <span className="whitespace-nowrap text-muted-foreground">
                {formatMoney(a.price.amount, a.price.currency)} · {a.duration_minutes} min
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <div className="flex flex-col gap-1 text-sm">
        <ClockSettings />
        <p className="text-muted-foreground">
          Times are shown in your time zone. {expert.full_name} is in {zoneLabel(expert.time_zone)}.
        </p>
      </div>
      {taken && (
        <Alert variant="destructive">
          {/[.!?]$/.test(taken) ? taken : `${taken}.`} The times below are fresh.
        </Alert>
      )}
      <SlotPicker
        key={`${area.id}-${zone}`}
        expertId={expert.id}
        areaId={area.id}
        selected={slot}
        openOn={day && DAY.test(day) ? day : null}
        onSelect={(s) => choose({ slot: s })}
      />
      <div className="flex flex-col gap-3 border-t pt-4 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-sm" aria-live="polite">
          {slot ? (
            <>
              <span className="font-medium" data-testid="chosen-slot">
                {formatDateTime(slot, zone, cycle)}
              </span>
              <span className="text-muted-foreground">
                {" "}
                · {formatTime(slot, expert.time_zone, cycle)} for the expert
              </span>
            </>
          ) : (
            <span className="text-muted-foreground">Choose a day and a time.</span>
          )}
        </p>
        <Button size="lg" disabled={!slot} onClick={book}>
          {signedIn ? "Book this time" : "Sign in to book"}
        </Button>
      </div>
      {slot && attempt > 0 && (
        <BookingDialog
          key={attempt}
          open
          onOpenChange={(open) => !open && setAttempt(0)}
          expert={expert}
          area={area}
          slot={slot}
          onSlotTaken={(message) => {
            setTaken(message);
            choose({ slot: null });
            void queryClient.invalidateQueries({ queryKey: [scopes.slots, expert.id] });
          }}
        />
      )}
    </section>
  );
}
