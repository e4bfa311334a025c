import { NativeSelect } from "@/components/ui/select";
import { toClock } from "../lib/weekly";

const STARTS = Array.from({ length: 96 }, (_, i) => toClock(i * 15));
const ENDS = Array.from({ length: 96 }, (_, i) => toClock((i + 1) * 15));

/** A time of day on the quarter hour; an end may be 24:00 (the end of the day). */
export function QuarterHourSelect({
  value,
  onChange,
  end = false,
  label,
  invalid,
  describedBy,
}: {
  value: string;
  onChange: (value: string) => void;
  end?: boolean;
  label: string;
  invalid?: boolean;
  describedBy?: string;
}) {
  const options = end ? ENDS : STARTS;
  return (
    <NativeSelect
      aria-label={label}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      className="w-[6.5rem]"
    >
      {!options.includes(value) && <option value={value}>{value}</option>}
      {options.map((clock) => (
        <option key={clock} value={clock}>
          {clock}
        </option>
      ))}
    </NativeSelect>
  );
}
