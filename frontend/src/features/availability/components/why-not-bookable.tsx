import { TZDate } from "@date-fns/tz";
import { useQuery } from "@tanstack/react-query";
import { CheckCircle2, XCircle } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ErrorState } from "@/components/page-state";
import { useViewerClock } from "@/lib/preferences";
import { formatDateTime, formatTime, localDay, zoneLabel } from "@/lib/time";
import { slotCheckQuery, type MyArea } from "../api/availability";
import { QuarterHourSelect } from "./quarter-hour-select";

/** The instant a local date and wall-clock time name in a zone. */
export function localInstant(day: string, clock: string, zone: string): string {
  const [y, m, d] = day.split("-").map(Number);
  const [h, min] = clock.split(":").map(Number);
  return new Date(new TZDate(y ?? 1970, (m ?? 1) - 1, d ?? 1, h ?? 0, min ?? 0, zone).getTime()).toISOString();
}

/** "Why isn't this time bookable?": pick a date and time in your zone, get every reason from the slot engine. */
export function WhyNotBookable({ areas, expertZone }: { areas: MyArea[]; expertZone: string }) {
  const { cycle } = useViewerClock();
  const [areaId, setAreaId] = useState(areas[0]?.id ?? "");
  const [day, setDay] = useState(localDay(new Date(), expertZone));
  const [clock, setClock] = useState("10:00");
  const [asked, setAsked] = useState<{ areaId: string; start: string } | null>(null);
  const check = useQuery({ ...slotCheckQuery(asked?.areaId ?? "", asked?.start ?? ""), enabled: asked !== null });
  return (
    <section aria-labelledby="why-heading" className="flex flex-col gap-3">
      <h2 id="why-heading" className="text-lg font-semibold">
        Why isn’t this time bookable?
      </h2>
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked({ areaId, start: localInstant(day, clock, expertZone) });
        }}
      >
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="why-area">Area</Label>
          <select id="why-area" className="h-10 rounded-md border bg-background px-2 text-sm" value={areaId} onChange={(e) => setAreaId(e.target.value)}>
            {areas.map((a) => (
              <option key={a.id} value={a.id}>
                {a.title} ({a.duration_minutes} min)
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="why-date">Date</Label>
          <Input id="why-date" type="date" value={day} onChange={(e) => setDay(e.target.value)} className="w-44" />
        </div>
        <div className="flex flex-col gap-1.5">
          <span className="text-sm font-medium" id="why-time-label">
            Start ({zoneLabel(expertZone)})
          </span>
          <QuarterHourSelect label="Start time" value={clock} onChange={setClock} />
        </div>
        <Button type="submit" disabled={!areaId || !day}>
          Check
        </Button>
      </form>
      {check.isError && <ErrorState error={check.error} />}
      {check.data && (
        <div className="flex flex-col gap-2 rounded-lg border p-4" role="status" aria-live="polite" data-testid="slot-check">
          <p className="flex items-center gap-2 font-medium">
            {check.data.bookable ? <CheckCircle2 className="size-5 text-emerald-700" aria-hidden /> : <XCircle className="size-5 text-red-700" aria-hidden />}
            {formatDateTime(check.data.start, expertZone, cycle)} is {check.data.bookable ? "bookable: clients are offered it." : "not bookable."}
          </p>
          {check.data.reasons.length > 0 && (
            <ul className="flex flex-col gap-1 text-sm">
              {check.data.reasons.map((reason, i) => (
                <li key={i} data-code={reason.code}>
                  {reason.detail}
                  {reason.override_date && <> (your change for {reason.override_date})</>}
                  {reason.booking && (
                    <>
                      {" "}
                      {reason.booking.proposal ? "A proposed new time for" : "Your call"} “{reason.booking.title}” with {reason.booking.other_party}, {formatTime(reason.booking.start, expertZone, cycle)}–
                      {formatTime(reason.booking.end, expertZone, cycle)} (kept free {formatTime(reason.booking.held_from, expertZone, cycle)}–{formatTime(reason.booking.held_to, expertZone, cycle)}).
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          {!check.data.bookable && check.data.day_slots.length > 0 && (
            <p className="text-sm text-muted-foreground">Bookable that day: {check.data.day_slots.map((s) => formatTime(s, expertZone, cycle)).join(", ")}</p>
          )}
        </div>
      )}
    </section>
  );
}
