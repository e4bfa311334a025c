import { Check, Globe } from "lucide-react";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { allTimeZones, zoneLabel } from "@/lib/time";
import { cn } from "@/lib/utils";

/** A searchable list of every IANA zone; type part of a city or region ("kath", "new york"). */
export function TimeZonePicker({ value, onChange, label = "Time zone" }: { value: string; onChange: (zone: string) => void; label?: string }) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const matches = useMemo(() => {
    const words = query.toLowerCase().replaceAll(" ", "_").split(/[\s/]+/).filter(Boolean);
    return allTimeZones()
      .filter((zone) => words.every((w) => zone.toLowerCase().includes(w)))
      .slice(0, 60);
  }, [query]);

  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button variant="outline" size="sm" className="max-w-full justify-start">
          <Globe aria-hidden />
          <span className="sr-only">{label}: </span>
          <span className="truncate">{zoneLabel(value)}</span>
        </Button>
      </PopoverTrigger>
      <PopoverContent align="start" className="w-80 p-2">
        <Input
          autoFocus
          placeholder="Search a city or region"
          aria-label="Search time zones"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          className="mb-2"
        />
        <ul className="max-h-64 overflow-y-auto" aria-label="Time zones">
          {matches.map((zone) => (
            <li key={zone}>
              <button
                type="button"
                className={cn(
                  "flex w-full items-center justify-between gap-2 rounded-sm px-2 py-1.5 text-left text-sm hover:bg-accent focus-visible:bg-accent focus-visible:outline-none",
                  zone === value && "font-semibold",
                )}
                onClick={() => {
                  onChange(zone);
                  setOpen(false);
                  setQuery("");
                }}
              >
                <span className="truncate">{zoneLabel(zone)}</span>
                {zone === value && <Check className="size-4 shrink-0" aria-hidden />}
              </button>
            </li>
          ))}
          {matches.length === 0 && <li className="px-2 py-1.5 text-sm text-muted-foreground">No zone matches “{query}”.</li>}
        </ul>
      </PopoverContent>
    </Popover>
  );
}
