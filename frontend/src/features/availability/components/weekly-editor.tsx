import { Copy, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { copyDay, dayErrors, mergeRanges, nextRange, WEEKDAYS, type DayRange, type Week } from "../lib/weekly";
import { QuarterHourSelect } from "./quarter-hour-select";

/** Errors the API returned for rows of the week, keyed "weekday:row". */
export type RowErrors = Record<string, string>;

function CopyDay({ week, day, onChange }: { week: Week; day: number; onChange: (week: Week) => void }) {
  const [open, setOpen] = useState(false);
  const [targets, setTargets] = useState<number[]>([]);
  const toggle = (target: number) => setTargets((t) => (t.includes(target) ? t.filter((d) => d !== target) : [...t, target]));
  return (
    <Popover open={open} onOpenChange={(next) => (setOpen(next), setTargets([]))}>
      <PopoverTrigger asChild>
        <Button type="button" variant="ghost" size="sm" aria-label={`Copy ${WEEKDAYS[day]}'s hours to other days`}>
          <Copy aria-hidden /> Copy
        </Button>
      </PopoverTrigger>
      <PopoverContent align="end" className="w-64">
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium">Copy {WEEKDAYS[day]}'s hours to</legend>
          {WEEKDAYS.map((name, target) =>
            target === day ? null : (
              <label key={name} className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={targets.includes(target)} onChange={() => toggle(target)} />
                {name}
              </label>
            ),
          )}
          <div className="mt-2 flex gap-2">
            <Button type="button" variant="outline" size="sm" onClick={() => setTargets([0, 1, 2, 3, 4].filter((d) => d !== day))}>
              Weekdays
            </Button>
            <Button
              type="button"
              size="sm"
              disabled={targets.length === 0}
              onClick={() => {
                onChange(copyDay(week, day, targets));
                setOpen(false);
              }}
            >
              Copy
            </Button>
          </div>
        </fieldset>
      </PopoverContent>
    </Popover>
  );
}

/** Several ranges per weekday, in the expert's zone; ranges may end at 24:00 and join the next day. */
export function WeeklyEditor({ week, onChange, serverErrors = {} }: { week: Week; onChange: (week: Week) => void; serverErrors?: RowErrors }) {
  const setDay = (day: number, ranges: DayRange[]) => onChange(week.map((r, d) => (d === day ? ranges : r)));
  return (
    <ol className="divide-y rounded-lg border" aria-label="Weekly hours">
      {week.map((ranges, day) => {
        const errors = dayErrors(ranges);
        const name = WEEKDAYS[day] ?? "";
        return (
          <li key={name} className="flex flex-col gap-2 p-3 sm:flex-row sm:items-start">
            <div className="flex w-full items-center justify-between sm:w-32 sm:pt-2">
              <span className="font-medium">{name}</span>
              {ranges.length === 0 && <span className="text-sm text-muted-foreground sm:hidden">Unavailable</span>}
            </div>
            <div className="flex flex-1 flex-col gap-2">
              {ranges.length === 0 && <p className="hidden pt-2 text-sm text-muted-foreground sm:block">Unavailable</p>}
              {ranges.map((range, row) => {
                const error = serverErrors[`${day}:${row}`] ?? errors[row]?.message;
                const errorId = `hours-${day}-${row}-error`;
                const update = (patch: Partial<DayRange>) => setDay(day, ranges.map((r, i) => (i === row ? { ...r, ...patch } : r)));
                return (
                  <div key={row} className="flex flex-col gap-1">
                    <div className="flex flex-wrap items-center gap-2">
                      <QuarterHourSelect label={`${name} range ${row + 1} start`} value={range.start} onChange={(start) => update({ start })} invalid={!!error} describedBy={error ? errorId : undefined} />
                      <span aria-hidden>–</span>
                      <QuarterHourSelect end label={`${name} range ${row + 1} end`} value={range.end} onChange={(end) => update({ end })} invalid={!!error} describedBy={error ? errorId : undefined} />
                      <Button type="button" variant="ghost" size="icon" aria-label={`Remove ${name} ${range.start}–${range.end}`} onClick={() => setDay(day, ranges.filter((_, i) => i !== row))}>
                        <Trash2 aria-hidden />
                      </Button>
                    </div>
                    {error && (
                      <p id={errorId} className="text-sm text-red-700">
                        {error}
                      </p>
                    )}
                  </div>
                );
              })}
            </div>
            <div className="flex gap-1 sm:pt-1">
              <Button type="button" variant="outline" size="sm" onClick={() => setDay(day, [...ranges, nextRange(ranges)])} aria-label={`Add hours on ${name}`}>
                <Plus aria-hidden /> Add
              </Button>
              {ranges.length > 0 && <CopyDay week={week} day={day} onChange={onChange} />}
              {errors.some((e) => e?.code === "overlapping_ranges") && errors.every((e) => !e || e.code === "overlapping_ranges") && (
                <Button type="button" variant="ghost" size="sm" onClick={() => setDay(day, mergeRanges(ranges))}>
                  Join overlaps
                </Button>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
