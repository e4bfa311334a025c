import { ChevronLeft, ChevronRight, Plus, Trash2 } from "lucide-react";
import { addMonths, format } from "date-fns";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { monthDays, parseDay } from "@/lib/time";
import { cn } from "@/lib/utils";
import type { Override } from "../api/availability";
import { dayErrors, nextRange, type DayRange } from "../lib/weekly";
import { QuarterHourSelect } from "./quarter-hour-select";

type Kind = "off" | "replace" | "unavailable";

const KIND_LABEL: Record<Kind, string> = {
  off: "Day off",
  replace: "Different hours",
  unavailable: "Take hours out",
};

export function overrideKind(override: Override): Kind {
  if (override.kind === "unavailable") return "unavailable";
  return (override.ranges ?? []).length === 0 ? "off" : "replace";
}

export function describeOverride(override: Override): string {
  const kind = overrideKind(override);
  const ranges = (override.ranges ?? []).map((r) => `${r.start}–${r.end}`).join(", ");
  return kind === "off" ? "Day off" : `${KIND_LABEL[kind]}: ${ranges}`;
}

function OverrideForm({ day, existing, onSave, onRemove }: { day: string; existing?: Override; onSave: (o: Override) => void; onRemove: () => void }) {
  const [kind, setKind] = useState<Kind>(existing ? overrideKind(existing) : "off");
  const [ranges, setRanges] = useState<DayRange[]>(existing?.ranges?.length ? existing.ranges.map((r) => ({ ...r })) : [{ start: "09:00", end: "12:00" }]);
  const errors = kind === "off" ? [] : dayErrors(ranges);
  const invalid = kind !== "off" && (ranges.length === 0 || errors.some(Boolean));
  const save = () => onSave({ date: day, kind: kind === "unavailable" ? "unavailable" : "replace", ranges: kind === "off" ? [] : ranges });
  return (
    <div className="flex flex-col gap-3 rounded-lg border p-3">
      <p className="font-medium">{format(parseDay(day), "EEEE d MMMM yyyy")}</p>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="sr-only">What changes on this date</legend>
        {(Object.keys(KIND_LABEL) as Kind[]).map((k) => (
          <label key={k} className="flex items-center gap-2 text-sm">
            <input type="radio" name={`override-kind-${day}`} checked={kind === k} onChange={() => setKind(k)} />
            {KIND_LABEL[k]}
          </label>
        ))}
      </fieldset>
      {kind !== "off" && (
        <div className="flex flex-col gap-2">
          <p className="text-sm text-muted-foreground">{kind === "replace" ? "Your hours on this date (instead of the weekly ones):" : "Hours to take out of this date's weekly hours:"}</p>
          {ranges.map((range, row) => (
            <div key={row} className="flex flex-col gap-1">
              <div className="flex flex-wrap items-center gap-2">
                <QuarterHourSelect label={`Override range ${row + 1} start`} value={range.start} onChange={(start) => setRanges(ranges.map((r, i) => (i === row ? { ...r, start } : r)))} invalid={!!errors[row]} />
                <span aria-hidden>–</span>
                <QuarterHourSelect end label={`Override range ${row + 1} end`} value={range.end} onChange={(end) => setRanges(ranges.map((r, i) => (i === row ? { ...r, end } : r)))} invalid={!!errors[row]} />
                <Button type="button" variant="ghost" size="icon" aria-label={`Remove ${range.start}–${range.end}`} onClick={() => setRanges(ranges.filter((_, i) => i !== row))}>
                  <Trash2 aria-hidden />
                </Button>
              </div>
              {errors[row] && <p className="text-sm text-red-700">{errors[row]?.message}</p>}
            </div>
          ))}
          <Button type="button" variant="outline" size="sm" className="self-start" onClick={() => setRanges([...ranges, nextRange(ranges)])}>
            <Plus aria-hidden /> Add a range
          </Button>
        </div>
      )}
      <div className="flex gap-2">
        <Button type="button" size="sm" onClick={save} disabled={invalid}>
          {existing ? "Update this date" : "Add this date"}
        </Button>
        {existing && (
          <Button type="button" size="sm" variant="outline" onClick={onRemove}>
            Remove override
          </Button>
        )}
      </div>
    </div>
  );
}

/** A month calendar of the expert's date overrides (dates are local to the expert's zone). */
export function OverridesEditor({ overrides, onChange, today, error }: { overrides: Override[]; onChange: (o: Override[]) => void; today: string; error?: string }) {
  const [month, setMonth] = useState(today.slice(0, 7) + "-01");
  const [selected, setSelected] = useState<string | null>(null);
  const [typed, setTyped] = useState("");
  const byDate = new Map(overrides.map((o) => [o.date, o]));
  const days = monthDays(month);
  const lead = (parseDay(days[0] as string).getDay() + 6) % 7;
  const put = (o: Override) => {
    onChange([...overrides.filter((x) => x.date !== o.date), o].sort((a, b) => a.date.localeCompare(b.date)));
    setSelected(null);
  };
  const upcoming = overrides.filter((o) => o.date >= today);
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <div>
        <div className="mb-2 flex items-center justify-between">
          <Button type="button" variant="ghost" size="icon" aria-label="Previous month" onClick={() => setMonth(format(addMonths(parseDay(month), -1), "yyyy-MM-dd"))}>
            <ChevronLeft aria-hidden />
          </Button>
          <p className="font-medium" aria-live="polite">
            {format(parseDay(month), "MMMM yyyy")}
          </p>
          <Button type="button" variant="ghost" size="icon" aria-label="Next month" onClick={() => setMonth(format(addMonths(parseDay(month), 1), "yyyy-MM-dd"))}>
            <ChevronRight aria-hidden />
          </Button>
        </div>
        <div className="grid grid-cols-7 gap-1 text-center text-xs text-muted-foreground" aria-hidden>
          {["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"].map((d) => (
            <span key={d}>{d}</span>
          ))}
        </div>
        <div className="mt-1 grid grid-cols-7 gap-1">
          {Array.from({ length: lead }, (_, i) => (
            <span key={`lead-${i}`} />
          ))}
          {days.map((day) => {
            const override = byDate.get(day);
            return (
              <button
                key={day}
                type="button"
                onClick={() => setSelected(day)}
                aria-label={`${format(parseDay(day), "EEEE d MMMM")}${override ? `: ${describeOverride(override)}` : ""}`}
                aria-pressed={selected === day}
                className={cn(
                  "flex aspect-square flex-col items-center justify-center rounded-md border text-sm hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                  day < today && "text-muted-foreground",
                  override && overrideKind(override) === "off" && "border-red-300 bg-red-50 text-red-900",
                  override && overrideKind(override) !== "off" && "border-amber-300 bg-amber-50 text-amber-900",
                  selected === day && "ring-2 ring-primary",
                )}
              >
                {Number(day.slice(8))}
              </button>
            );
          })}
        </div>
        <div className="mt-3 flex items-end gap-2">
          <div className="flex flex-col gap-1">
            <Label htmlFor="override-date">Or type a date</Label>
            <Input id="override-date" type="date" value={typed} onChange={(e) => setTyped(e.target.value)} className="w-44" />
          </div>
          <Button type="button" variant="outline" disabled={!/^\d{4}-\d{2}-\d{2}$/.test(typed)} onClick={() => (setSelected(typed), setMonth(typed.slice(0, 7) + "-01"))}>
            Change this date
          </Button>
        </div>
      </div>
      <div className="flex flex-col gap-3">
        {error && <p className="text-sm text-red-700">{error}</p>}
        {selected ? (
          <OverrideForm key={selected} day={selected} existing={byDate.get(selected)} onSave={put} onRemove={() => (onChange(overrides.filter((o) => o.date !== selected)), setSelected(null))} />
        ) : (
          <p className="text-sm text-muted-foreground">Pick a date to take it off, give it different hours, or take some hours out.</p>
        )}
        <div>
          <h3 className="mb-1 text-sm font-medium">Upcoming changes</h3>
          {upcoming.length === 0 ? (
            <p className="text-sm text-muted-foreground">None: every date follows your weekly hours.</p>
          ) : (
            <ul className="flex flex-col gap-1 text-sm">
              {upcoming.map((o) => (
                <li key={o.date}>
                  <button type="button" className="text-left underline-offset-4 hover:underline" onClick={() => (setSelected(o.date), setMonth(o.date.slice(0, 7) + "-01"))}>
                    {format(parseDay(o.date), "EEE d MMM yyyy")}: {describeOverride(o)}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </div>
  );
}
