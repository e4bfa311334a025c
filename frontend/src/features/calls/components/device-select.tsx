import { useId } from "react";
import { NativeSelect } from "@/components/ui/select";

/** A labelled picker for one kind of device; "" is the system default. */
export function DeviceSelect({
  label,
  kind,
  devices,
  value,
  onChange,
  disabled,
}: {
  label: string;
  kind: MediaDeviceKind;
  devices: MediaDeviceInfo[];
  value: string;
  onChange: (id: string) => void;
  disabled?: boolean;
}) {
  const id = useId();
  const options = devices.filter((d) => d.kind === kind && d.deviceId && d.deviceId !== "default");
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <NativeSelect id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled} className="w-full min-w-0 truncate">
        <option value="">System default</option>
        {options.map((d, i) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label || `${label} ${i + 1}`}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}
