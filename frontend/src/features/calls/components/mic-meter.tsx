import { useAudioLevel } from "../lib/use-audio-level";

/** A bar that moves with the microphone, so people see they are heard before joining. */
export function MicMeter({ stream }: { stream: MediaStream | null }) {
  const level = useAudioLevel(stream);
  const percent = Math.round(level * 100);
  return (
    <div className="flex items-center gap-2">
      <span className="text-sm text-muted-foreground">Mic level</span>
      <div
        role="meter"
        aria-label="Microphone level"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-level={percent}
        className="h-2 flex-1 overflow-hidden rounded-full bg-muted"
      >
        <div className="h-full rounded-full bg-emerald-500 transition-[width] duration-75" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
