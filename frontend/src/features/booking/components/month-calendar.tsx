import { ChevronLeft, ChevronRight } from "lucide-react";
import { format } from "date-fns";
import { Button } from "@/components/ui/button";
import { monthDays, parseDay } from "@/lib/time";
import { cn } from "@/lib/utils";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** A month grid (Monday first) where days with free times are marked and selectable. */
export function MonthCalendar({
  month,
  available,
  selected,
  onSelect,
  onMonth,
  canGoBack,
}: {
  month: string;
  available: Set<string>;
  selected: string | null;
  onSelect: (day: string) => void;
  onMonth: (delta: number) => void;
  canGoBack: boolean;
}) {
  const days = monthDays(month);
  const lead = (parseDay(days[0]!).getDay() + 6) % 7;
  const title = format(parseDay(month), "MMMM yyyy");
  return (
    <div className="w-full max-w-sm">
      <div className="mb-2 flex items-center justify-between">
        <Button variant="ghost" size="icon" onClick={() => onMonth(-1)} disabled={!canGoBack} aria-label="Previous month">
          <ChevronLeft />
        </Button>
        <h3 className="font-semibold" aria-live="polite">
          {title}
        </h3>
        <Button variant="ghost" size="icon" onClick={() => onMonth(1)} aria-label="Next month">
          <ChevronRight />
        </Button>
      </div>
      <div className="grid grid-cols-7 gap-1 text-center text-sm">
        {WEEKDAYS.map((d) => (
          <div aria-hidden key={d} className="py-1 text-xs font-medium text-muted-foreground">
            {d}
          </div>
        ))}
        <ul aria-label={`Days of ${title}`} className="contents">
          {Array.from({ length: lead }, (_, i) => (
            <li aria-hidden key={`lead-${i}`} />
          ))}
          {days.map((day) => {
            const free = available.has(day);
            const isSelected = day === selected;
            const label = format(parseDay(day), "EEEE d MMMM");
            return (
              <li key={day}>
                <button
                  type="button"
                  disabled={!free}
                  onClick={() => onSelect(day)}
                  aria-pressed={isSelected}
                  aria-label={free ? `${label}, free times` : `${label}, no free times`}
                  className={cn(
                    "relative flex aspect-square w-full items-center justify-center rounded-md text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                    free ? "bg-accent font-semibold text-accent-foreground hover:bg-primary/15" : "text-muted-foreground/70",
                    isSelected && "bg-primary text-primary-foreground hover:bg-primary",
                  )}
                >
                  {Number(day.slice(8))}
                  {free && !isSelected && <span aria-hidden className="absolute bottom-1 size-1 rounded-full bg-primary" />}
                </button>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
