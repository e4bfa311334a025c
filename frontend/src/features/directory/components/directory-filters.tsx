import type * as React from "react";
import { useQuery } from "@tanstack/react-query";
import { SlidersHorizontal } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { useViewerClock } from "@/lib/preferences";
import { localDay, zoneLabel } from "@/lib/time";
import { cn } from "@/lib/utils";
import { categoriesQuery } from "../api/experts";
import { freeBetweenIn, KNOWN_DAYS, localWindow, SORTS, type ExpertFilters, type FreeBetween, type LocalWindow } from "../api/filters";

export const LANGUAGES: [string, string][] = [
  ["en", "English"], ["fr", "French"], ["es", "Spanish"], ["pt", "Portuguese"], ["de", "German"], ["ar", "Arabic"],
  ["sw", "Swahili"], ["yo", "Yoruba"], ["ha", "Hausa"], ["ig", "Igbo"], ["hi", "Hindi"], ["ne", "Nepali"], ["zh", "Chinese"],
];

const DAYS = [1, 3, 7, 14, 30];
const EMPTY_WINDOW: LocalWindow = { day: "", from: "", to: "" };

function numberOrNull(value: string): number | null {
  return value === "" || Number.isNaN(Number(value)) ? null : Math.max(0, Math.floor(Number(value)));
}

/** How many filters narrow the list (the words and the order are not counted). */
function activeFilters(filters: ExpertFilters): number {
  return [filters.category, filters.minPrice, filters.maxPrice, filters.language, filters.freeWithinDays, filters.freeBetween].filter(
    (value) => value !== null && value !== "",
  ).length;
}

/**
 * The filter form: the search runs on submit; the selects apply as soon as they change. On a narrow
 * screen everything but the search folds behind a "Filters" button that counts the active ones, so
 * the results start on the first screen.
 */
export function DirectoryFilters({ filters, onChange }: { filters: ExpertFilters; onChange: (next: ExpertFilters) => void }) {
  const categories = useQuery(categoriesQuery());
  const [unfolded, setUnfolded] = useState(false);
  const active = activeFilters(filters);
  const [q, setQ] = useState(filters.q);
  const [minPrice, setMinPrice] = useState(filters.minPrice?.toString() ?? "");
  const [maxPrice, setMaxPrice] = useState(filters.maxPrice?.toString() ?? "");
  useEffect(() => {
    setQ(filters.q);
    setMinPrice(filters.minPrice?.toString() ?? "");
    setMaxPrice(filters.maxPrice?.toString() ?? "");
  }, [filters.q, filters.minPrice, filters.maxPrice]);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    onChange({ ...filters, q, minPrice: numberOrNull(minPrice), maxPrice: numberOrNull(maxPrice) });
  };
  return (
    <form role="search" onSubmit={submit} className="flex flex-col gap-4 rounded-xl border bg-card p-4">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="q">Search experts</Label>
        <div className="flex gap-2">
          <Input id="q" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Topic, skill or name" />
          <Button type="submit">Search</Button>
        </div>
      </div>
      <Button
        type="button"
        variant="outline"
        className="self-start sm:hidden"
        aria-expanded={unfolded}
        aria-controls="directory-filter-fields"
        onClick={() => setUnfolded((open) => !open)}
      >
        <SlidersHorizontal className="size-4" aria-hidden />
        {active ? `Filters · ${active} on` : "Filters"}
      </Button>
      <div id="directory-filter-fields" className={cn(unfolded ? "flex" : "hidden", "flex-col gap-4 sm:flex")}>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-6">
          <div className="col-span-2 flex flex-col gap-1.5 md:col-span-1">
            <Label htmlFor="category">Category</Label>
            <NativeSelect id="category" value={filters.category} onChange={(e) => onChange({ ...filters, category: e.target.value })}>
              <option value="">All categories</option>
              {categories.data?.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.name}
                </option>
              ))}
            </NativeSelect>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="min_price">Min price</Label>
            <Input id="min_price" inputMode="numeric" value={minPrice} onChange={(e) => setMinPrice(e.target.value)} onBlur={submit} placeholder="Any" />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="max_price">Max price</Label>
            <Input id="max_price" inputMode="numeric" value={maxPrice} onChange={(e) => setMaxPrice(e.target.value)} onBlur={submit} placeholder="Any" />
          </div>
          <div className="col-span-2 flex flex-col gap-1.5 md:col-span-1">
            <Label htmlFor="language">Language</Label>
            <NativeSelect id="language" value={filters.language} onChange={(e) => onChange({ ...filters, language: e.target.value })}>
              <option value="">Any language</option>
              {LANGUAGES.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </NativeSelect>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="free_within_days">Free within</Label>
            <NativeSelect
              id="free_within_days"
              value={filters.freeWithinDays?.toString() ?? ""}
              onChange={(e) => onChange({ ...filters, freeWithinDays: numberOrNull(e.target.value) })}
            >
              <option value="">Any time</option>
              {DAYS.map((d) => (
                <option key={d} value={d}>
                  {d === 1 ? "1 day" : `${d} days`}
                </option>
              ))}
            </NativeSelect>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="sort">Sort by</Label>
            <NativeSelect id="sort" value={filters.sort ?? ""} onChange={(e) => onChange({ ...filters, sort: (e.target.value || null) as ExpertFilters["sort"] })}>
              <option value="">Default</option>
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </NativeSelect>
          </div>
        </div>
        <FreeOn value={filters.freeBetween} onChange={(freeBetween) => onChange({ ...filters, freeBetween })} />
      </div>
    </form>
  );
}

/**
 * "Free on": a day and a stretch of it, on the viewer's clock, for a client who can only meet then.
 * It applies as soon as all three are set and stops applying as soon as one is emptied (the other
 * two stay for the next edit); a time zone change keeps the same instants and shows them on the new
 * clock.
 */
function FreeOn({ value, onChange }: { value: FreeBetween | null; onChange: (next: FreeBetween | null) => void }) {
  const { zone } = useViewerClock();
  const [draft, setDraft] = useState<LocalWindow>(value ? localWindow(value, zone) : EMPTY_WINDOW);
  // The filters are parsed afresh from the URL on every render: follow the instants, not the object.
  // A change that comes back from this row's own edit is already in the draft (which may hold more,
  // a half-filled row); any other change (back, a link, a new zone) replaces the draft, except that
  // a new zone leaves a half-filled row as typed, since nothing of it is applied yet.
  const [from, to] = [value?.from, value?.to];
  const own = useRef<{ key: string | null; zone: string } | null>(null);
  const seen = useRef<string | null>(from && to ? `${from}/${to}` : null);
  useEffect(() => {
    const key = from && to ? `${from}/${to}` : null;
    const [mine, before] = [own.current, seen.current];
    own.current = null;
    seen.current = key;
    if (mine && mine.key === key && mine.zone === zone) return;
    if (key === null && before === null) return;
    setDraft(from && to ? localWindow({ from, to }, zone) : EMPTY_WINDOW);
  }, [from, to, zone]);
  const apply = (next: FreeBetween | null) => {
    own.current = { key: next ? `${next.from}/${next.to}` : null, zone };
    onChange(next);
  };

  const edit = (field: keyof LocalWindow, text: string) => {
    const next = { ...draft, [field]: text };
    setDraft(next);
    if (next.day && next.from && next.to) apply(freeBetweenIn(next, zone));
    else if (value) apply(null);
  };
  const now = Date.now();
  const overnight = Boolean(draft.from && draft.to && draft.to <= draft.from);
  const halfFilled = !(draft.day && draft.from && draft.to) && Boolean(draft.day || draft.from || draft.to);
  return (
    <fieldset className="flex flex-col gap-1.5">
      <legend className="mb-1.5 text-sm font-medium leading-none">Free on</legend>
      <div className="grid grid-cols-2 items-end gap-3 sm:flex sm:flex-wrap">
        <div className="col-span-2 flex flex-col gap-1 sm:w-44">
          <Label htmlFor="free_day" className="text-xs text-muted-foreground">
            Day
          </Label>
          <Input
            id="free_day"
            type="date"
            value={draft.day}
            min={localDay(new Date(now), zone)}
            max={localDay(new Date(now + KNOWN_DAYS * 86_400_000), zone)}
            onChange={(e) => edit("day", e.target.value)}
          />
        </div>
        <div className="flex flex-col gap-1 sm:w-32">
          <Label htmlFor="free_from" className="text-xs text-muted-foreground">
            From
          </Label>
          <Input id="free_from" type="time" step={900} value={draft.from} onChange={(e) => edit("from", e.target.value)} />
        </div>
        <div className="flex flex-col gap-1 sm:w-32">
          <Label htmlFor="free_to" className="text-xs text-muted-foreground">
            To
          </Label>
          <Input id="free_to" type="time" step={900} value={draft.to} onChange={(e) => edit("to", e.target.value)} />
        </div>
        {(value || draft.day || draft.from || draft.to) && (
          <Button
            type="button"
            variant="outline"
            className="col-span-2 justify-self-start sm:self-end"
            onClick={() => {
              setDraft(EMPTY_WINDOW);
              if (value) apply(null);
            }}
          >
            Any day
          </Button>
        )}
      </div>
      <p className="text-xs text-muted-foreground" data-testid="free-on-hint">
        {halfFilled ? "Set the day and both times to filter. " : ""}
        {overnight ? `Ends at ${draft.to} the next day. ` : ""}
        In your time zone, {zoneLabel(zone)}.
      </p>
    </fieldset>
  );
}
