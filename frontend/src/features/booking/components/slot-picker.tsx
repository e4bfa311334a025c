import { useQuery } from "@tanstack/react-query";
import { addMonths, format } from "date-fns";
import { useEffect, useMemo, useState } from "react";
import { ErrorState, LoadingState } from "@/components/page-state";
import { Button } from "@/components/ui/button";
import { useViewerClock } from "@/lib/preferences";
import { formatDate, formatTime, groupByLocalDay, localDay, parseDay, startOfLocalDay } from "@/lib/time";
import { slotsQuery } from "../api/booking";
import { MonthCalendar } from "./month-calendar";

function monthOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

function shiftMonth(month: string, delta: number): string {
  return format(addMonths(parseDay(month), delta), "yyyy-MM-dd");
}

/**
 * Choose a start time: a month with its free days marked, then that day's times, all in the viewer's
 * zone. Slots arrive as UTC instants for the month's span in that zone and are grouped here, so a
 * change of zone regroups them (and refetches the new span) from the same instants. Without a chosen
 * slot it opens on `openOn` (a day the client asked for, e.g. in the directory), else on the month's
 * first free day.
 */
export function SlotPicker({
  expertId,
  areaId,
  selected,
  onSelect,
  openOn = null,
}: {
  expertId: string;
  areaId: string;
  selected: string | null;
  onSelect: (slot: string | null) => void;
  openOn?: string | null;
}) {
  const { zone, cycle } = useViewerClock();
  const today = localDay(new Date(), zone);
  const first = selected ? localDay(selected, zone) : openOn && openOn >= today ? openOn : null;
  const [month, setMonth] = useState(() => monthOf(first ?? today));
  const [day, setDay] = useState<string | null>(first);
  const from = startOfLocalDay(month, zone).toISOString();
  const to = startOfLocalDay(shiftMonth(month, 1), zone).toISOString();
  const query = useQuery(slotsQuery(expertId, areaId, from, to));
  const byDay = useMemo(() => groupByLocalDay(query.data?.slots ?? [], zone), [query.data, zone]);

  useEffect(() => {
    if (selected) setDay(localDay(selected, zone));
  }, [zone, selected]);
  // A chosen time that is no longer free (taken meanwhile) is dropped rather than offered.
  useEffect(() => {
    if (query.data && selected && selected >= from && selected < to && !query.data.slots.includes(selected)) onSelect(null);
  }, [query.data, selected, from, to, onSelect]);
  useEffect(() => {
    if (!query.data) return;
    if (day && byDay.has(day)) return;
    setDay(byDay.keys().next().value ?? null);
  }, [query.data, byDay, day]);

  const times = day ? (byDay.get(day) ?? []) : [];
  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:gap-6 lg:flex-col xl:flex-row">
      <MonthCalendar
        month={month}
        available={new Set(byDay.keys())}
        selected={day}
        canGoBack={month > monthOf(today)}
        onMonth={(delta) => {
          setMonth(shiftMonth(month, delta));
          setDay(null);
        }}
        onSelect={(d) => {
          setDay(d);
          onSelect(null);
        }}
      />
      <div className="min-w-0 flex-1">
        {query.isPending && <LoadingState rows={2} label="Loading free times" />}
        {query.isError && <ErrorState error={query.error} onRetry={() => void query.refetch()} />}
        {query.isSuccess && byDay.size === 0 && (
          <div className="rounded-lg border border-dashed p-4 text-sm">
            <p className="font-medium">No free times in {format(parseDay(month), "MMMM")}.</p>
            <Button variant="link" className="h-auto p-0" onClick={() => setMonth(shiftMonth(month, 1))}>
              Look at the next month
            </Button>
          </div>
        )}
        {day && times.length > 0 && (
          <section aria-labelledby="times-heading">
            <h3 id="times-heading" className="mb-2 font-semibold">
              {formatDate(startOfLocalDay(day, zone), zone)}
            </h3>
            <ul aria-label="Free start times" className="grid grid-cols-[repeat(auto-fill,minmax(6.5rem,1fr))] gap-2">
              {times.map((slot) => (
                <li key={slot}>
                  <Button
                    type="button"
                    variant={slot === selected ? "default" : "outline"}
                    aria-pressed={slot === selected}
                    className="w-full"
                    onClick={() => onSelect(slot)}
                  >
                    {formatTime(slot, zone, cycle)}
                  </Button>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </div>
  );
}
