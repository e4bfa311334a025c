import { useQuery } from "@tanstack/react-query";
import { addDays, format, startOfWeek } from "date-fns";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { useState } from "react";
import { Link } from "react-router";
import { EmptyState, ErrorState, LoadingState, PageHeader } from "@/components/page-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useDocumentTitle } from "@/lib/document-title";
import { useViewerClock } from "@/lib/preferences";
import { formatTime, groupByLocalDay, localDay, parseDay, zoneLabel, type HourCycle } from "@/lib/time";
import { cn } from "@/lib/utils";
import { calendarProfileQuery, calendarQuery, type CalendarBooking } from "../api/calendar";

const STATUS_LABEL: Record<string, string> = {
  confirmed: "Confirmed",
  reschedule_proposed: "New time proposed",
  completed: "Completed",
  no_show_client: "Client did not come",
  no_show_expert: "You did not come",
  no_show_both: "Nobody came",
};

function CallLink({ booking, zone, cycle }: { booking: CalendarBooking; zone: string; cycle: HourCycle }) {
  return (
    <Link to={`/expert/calendar/${booking.id}`} className="flex flex-col rounded-md border p-2 text-sm hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
      <span className="font-medium tabular-nums">
        {formatTime(booking.start, zone, cycle)}–{formatTime(booking.end, zone, cycle)}
      </span>
      <span className="truncate">{booking.client.full_name}</span>
      <span className="truncate text-muted-foreground">{booking.area.title}</span>
      {booking.status !== "confirmed" && <Badge variant="secondary" className="mt-1 self-start">{STATUS_LABEL[booking.status] ?? booking.status}</Badge>}
    </Link>
  );
}

function Choice<T extends string>({ label, value, onChange, options }: { label: string; value: T; onChange: (v: T) => void; options: Record<T, string> }) {
  return (
    <div role="group" aria-label={label} className="flex gap-1">
      {(Object.keys(options) as T[]).map((option) => (
        <Button key={option} size="sm" variant={value === option ? "default" : "outline"} aria-pressed={value === option} onClick={() => onChange(option)}>
          {options[option]}
        </Button>
      ))}
    </div>
  );
}

function byDay(bookings: CalendarBooking[], zone: string): Map<string, CalendarBooking[]> {
  const starts = groupByLocalDay(bookings.map((b) => b.start), zone);
  const out = new Map<string, CalendarBooking[]>();
  for (const [day, instants] of starts) out.set(day, instants.map((s) => bookings.find((b) => b.start === s)).filter((b): b is CalendarBooking => !!b));
  return out;
}

export function CalendarPage() {
  useDocumentTitle("Calendar");
  const { cycle } = useViewerClock();
  const [when, setWhen] = useState<"upcoming" | "past">("upcoming");
  const [view, setView] = useState<"agenda" | "week">("agenda");
  const profile = useQuery(calendarProfileQuery());
  const calls = useQuery(calendarQuery(when));
  const zone = profile.data?.time_zone;
  const [weekStart, setWeekStart] = useState(() => format(startOfWeek(new Date(), { weekStartsOn: 1 }), "yyyy-MM-dd"));
  if (calls.isError) return <ErrorState error={calls.error} onRetry={() => void calls.refetch()} />;
  if (calls.isPending || !zone) return <LoadingState label="Loading your calendar" />;
  const items = calls.data.items;
  const days = byDay(items, zone);
  const week = Array.from({ length: 7 }, (_, i) => format(addDays(parseDay(weekStart), i), "yyyy-MM-dd"));
  const today = localDay(new Date(), zone);
  return (
    <div className="flex flex-col gap-4">
      <PageHeader title="Calendar" description={`Your calls in ${zoneLabel(zone)}.`} />
      <div className="flex flex-wrap gap-2">
        <Choice label="Which calls" value={when} onChange={setWhen} options={{ upcoming: "Upcoming", past: "Past" }} />
        <Choice label="View" value={view} onChange={setView} options={{ agenda: "Agenda", week: "Week" }} />
      </div>
      {view === "agenda" ? (
        items.length === 0 ? (
          <EmptyState title={when === "upcoming" ? "No upcoming calls" : "No past calls"}>Accepted requests appear here.</EmptyState>
        ) : (
          <ol className="flex flex-col gap-4" aria-label="Calls by day">
            {[...days.entries()].map(([day, list]) => (
              <li key={day}>
                <h2 className="mb-2 text-sm font-semibold">{format(parseDay(day), "EEEE d MMMM yyyy")}</h2>
                <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
                  {list.map((b) => (
                    <li key={b.id}>
                      <CallLink booking={b} zone={zone} cycle={cycle} />
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        )
      ) : (
        <div className="flex flex-col gap-2">
          <div className="flex items-center gap-2">
            <Button size="icon" variant="ghost" aria-label="Previous week" onClick={() => setWeekStart(format(addDays(parseDay(weekStart), -7), "yyyy-MM-dd"))}>
              <ChevronLeft aria-hidden />
            </Button>
            <p className="font-medium" aria-live="polite">
              Week of {format(parseDay(weekStart), "d MMMM yyyy")}
            </p>
            <Button size="icon" variant="ghost" aria-label="Next week" onClick={() => setWeekStart(format(addDays(parseDay(weekStart), 7), "yyyy-MM-dd"))}>
              <ChevronRight aria-hidden />
            </Button>
          </div>
          <ol className="grid gap-2 md:grid-cols-7" aria-label="Week">
            {week.map((day) => (
              <li key={day} className={cn("min-h-24 rounded-md border p-2", day === today && "border-primary")}>
                <p className="mb-1 text-sm font-medium">{format(parseDay(day), "EEE d")}</p>
                <ul className="flex flex-col gap-1">
                  {(days.get(day) ?? []).map((b) => (
                    <li key={b.id}>
                      <CallLink booking={b} zone={zone} cycle={cycle} />
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
