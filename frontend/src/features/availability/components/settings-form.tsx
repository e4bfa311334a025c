import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import type { BookingSettings } from "../api/availability";

const NOTICE = [0, 15, 30, 60, 120, 240, 480, 720, 1440, 2880, 4320, 10080];
const BUFFERS = [0, 5, 10, 15, 30, 45, 60, 90, 120];

function duration(minutes: number): string {
  if (minutes === 0) return "None";
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? "" : "s"}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? "" : "s"}`;
  return `${minutes} minutes`;
}

function MinutesSelect({ id, label, value, options, onChange, hint }: { id: string; label: string; value: number; options: number[]; onChange: (v: number) => void; hint: string }) {
  const all = options.includes(value) ? options : [...options, value].sort((a, b) => a - b);
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <NativeSelect id={id} value={value} onChange={(e) => onChange(Number(e.target.value))} aria-describedby={`${id}-hint`}>
        {all.map((m) => (
          <option key={m} value={m}>
            {duration(m)}
          </option>
        ))}
      </NativeSelect>
      <p id={`${id}-hint`} className="text-xs text-muted-foreground">
        {hint}
      </p>
    </div>
  );
}

/** Minimum notice, horizon, buffers and slot step, within the limits the API accepts. */
export function SettingsForm({ settings, onChange, errors }: { settings: BookingSettings; onChange: (s: BookingSettings) => void; errors: Record<string, string> }) {
  const set = (patch: Partial<BookingSettings>) => onChange({ ...settings, ...patch });
  const horizon = settings.horizon_days ?? 60;
  const horizonError = errors["settings.horizon_days"] ?? (horizon < 1 || horizon > 365 || !Number.isInteger(horizon) ? "booking horizon must be within 1..365 days" : undefined);
  return (
    <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      <MinutesSelect id="min-notice" label="Minimum notice" value={settings.min_notice_minutes ?? 720} options={NOTICE} onChange={(v) => set({ min_notice_minutes: v })} hint="How soon before a call it can be booked." />
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="horizon">Book up to (days ahead)</Label>
        <Input id="horizon" type="number" min={1} max={365} value={horizon} onChange={(e) => set({ horizon_days: Number(e.target.value) })} aria-invalid={horizonError ? true : undefined} aria-describedby="horizon-hint" />
        <p id="horizon-hint" className={horizonError ? "text-sm text-red-700" : "text-xs text-muted-foreground"}>
          {horizonError ?? "1 to 365 days."}
        </p>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="slot-step">Calls start every</Label>
        <NativeSelect id="slot-step" value={settings.slot_step_minutes ?? 15} onChange={(e) => set({ slot_step_minutes: Number(e.target.value) })}>
          <option value={15}>15 minutes (:00, :15, :30, :45)</option>
          <option value={30}>30 minutes (:00, :30)</option>
          <option value={60}>hour (:00)</option>
        </NativeSelect>
      </div>
      <MinutesSelect id="buffer-before" label="Free time before a call" value={settings.buffer_before_minutes ?? 0} options={BUFFERS} onChange={(v) => set({ buffer_before_minutes: v })} hint="No call is booked this close before another." />
      <MinutesSelect id="buffer-after" label="Free time after a call" value={settings.buffer_after_minutes ?? 0} options={BUFFERS} onChange={(v) => set({ buffer_after_minutes: v })} hint="No call is booked this close after another." />
    </div>
  );
}
