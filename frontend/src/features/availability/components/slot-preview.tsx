import { useQuery } from "@tanstack/react-query";
import { format } from "date-fns";
import { useState } from "react";
import { ErrorState, LoadingState } from "@/components/page-state";
import { TimeZonePicker } from "@/components/time-zone-picker";
import { Button } from "@/components/ui/button";
import { useViewerClock } from "@/lib/preferences";
import { formatTime, localDay, parseDay, zoneLabel } from "@/lib/time";
import { myPreviewQuery, type MyArea } from "../api/availability";
import { previewColumns, previewWindow } from "../lib/preview";

const DAYS = 14;

/** What clients see for the next 14 days: the API's real slots, by day in the expert's zone or another. */
export function SlotPreview({ area, expertZone }: { area: MyArea; expertZone: string }) {
  const { cycle } = useViewerClock();
  const [zone, setZone] = useState(expertZone);
  const today = localDay(new Date(), zone);
  const { from, to } = previewWindow(today, DAYS, zone);
  const slots = useQuery(myPreviewQuery(area.id, from, to));
  return (
    <section aria-labelledby="preview-heading" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="preview-heading" className="text-lg font-semibold">
          What clients see for “{area.title}”
        </h2>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="text-muted-foreground">Shown in</span>
          <TimeZonePicker value={zone} onChange={setZone} label="Preview time zone" />
          {zone !== expertZone && (
            <Button type="button" variant="ghost" size="sm" onClick={() => setZone(expertZone)}>
              Back to my zone
            </Button>
          )}
        </div>
      </div>
      <p className="text-sm text-muted-foreground">
        {area.duration_minutes}-minute calls, next {DAYS} days, in {zoneLabel(zone)}. These are the times the booking page offers right now.
      </p>
      {slots.isPending ? (
        <LoadingState label="Loading the preview" rows={2} />
      ) : slots.isError ? (
        <ErrorState error={slots.error} onRetry={() => void slots.refetch()} />
      ) : (
        <ol className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-7" aria-label="Bookable times by day" data-testid="slot-preview" data-from={from} data-to={to}>
          {previewColumns(slots.data.slots, zone, today, DAYS).map(({ day, slots: daySlots }) => (
            <li key={day} className="rounded-md border p-2" data-day={day}>
              <p className="text-sm font-medium">{format(parseDay(day), "EEE d MMM")}</p>
              {daySlots.length === 0 ? (
                <p className="text-xs text-muted-foreground">No times</p>
              ) : (
                <ul className="mt-1 flex flex-wrap gap-1">
                  {daySlots.map((slot) => (
                    <li key={slot} data-slot={slot} className="rounded bg-secondary px-1.5 py-0.5 text-xs tabular-nums">
                      {formatTime(slot, zone, cycle)}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
