import { Button } from "@/components/ui/button";
import { TimeZonePicker } from "@/components/time-zone-picker";
import { usePreferences, useViewerClock } from "@/lib/preferences";

/** The viewer's zone (changeable) and the 12/24-hour toggle, remembered for every page. */
export function ClockSettings() {
  const { zone, cycle } = useViewerClock();
  const setTimeZone = usePreferences((s) => s.setTimeZone);
  const setHourCycle = usePreferences((s) => s.setHourCycle);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <TimeZonePicker value={zone} onChange={setTimeZone} label="Your time zone" />
      <div role="group" aria-label="Clock" className="inline-flex rounded-md border">
        <Button type="button" size="sm" variant={cycle === "h12" ? "secondary" : "ghost"} aria-pressed={cycle === "h12"} onClick={() => setHourCycle("h12")}>
          12h
        </Button>
        <Button type="button" size="sm" variant={cycle === "h23" ? "secondary" : "ghost"} aria-pressed={cycle === "h23"} onClick={() => setHourCycle("h23")}>
          24h
        </Button>
      </div>
    </div>
  );
}
