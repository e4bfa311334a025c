import { create } from "zustand";
import { createJSONStorage, persist } from "zustand/middleware";
import { browserTimeZone, localeHourCycle, type HourCycle } from "./time";

interface Preferences {
  /** The zone times are shown in; null follows the browser. */
  timeZone: string | null;
  /** 12- or 24-hour clock; null follows the locale. */
  hourCycle: HourCycle | null;
  setTimeZone: (zone: string | null) => void;
  setHourCycle: (cycle: HourCycle) => void;
}

/** UI preferences remembered in this browser and used on every page. */
export const usePreferences = create<Preferences>()(
  persist(
    (set) => ({
      timeZone: null,
      hourCycle: null,
      setTimeZone: (timeZone) => set({ timeZone }),
      setHourCycle: (hourCycle) => set({ hourCycle }),
    }),
    { name: "procus.preferences", storage: createJSONStorage(() => localStorage) },
  ),
);

/** The zone and clock to show times in, resolved. */
export function useViewerClock(): { zone: string; cycle: HourCycle } {
  const timeZone = usePreferences((s) => s.timeZone);
  const hourCycle = usePreferences((s) => s.hourCycle);
  return { zone: timeZone ?? browserTimeZone(), cycle: hourCycle ?? localeHourCycle() };
}
