import { useConnectionQualityIndicator } from "@livekit/components-react";
import { ConnectionQuality, type Participant } from "livekit-client";
import { Signal, SignalHigh, SignalLow, SignalMedium, WifiOff } from "lucide-react";
import { cn } from "@/lib/utils";

const QUALITY: Record<ConnectionQuality, { label: string; icon: typeof Signal; tone: string }> = {
  [ConnectionQuality.Excellent]: { label: "excellent", icon: SignalHigh, tone: "text-emerald-400" },
  [ConnectionQuality.Good]: { label: "good", icon: SignalMedium, tone: "text-emerald-300" },
  [ConnectionQuality.Poor]: { label: "poor", icon: SignalLow, tone: "text-amber-300" },
  [ConnectionQuality.Lost]: { label: "lost", icon: WifiOff, tone: "text-red-400" },
  [ConnectionQuality.Unknown]: { label: "unknown", icon: Signal, tone: "text-zinc-400" },
};

/** One participant's connection quality as LiveKit measures it, as an icon with words for screen readers. */
export function ConnectionQualityBadge({ participant, name }: { participant: Participant; name: string }) {
  const { quality } = useConnectionQualityIndicator({ participant });
  const { label, icon: Icon, tone } = QUALITY[quality];
  return (
    <span className={cn("inline-flex items-center gap-1 text-xs", tone)} data-quality={label} title={`${name}: ${label} connection`}>
      <Icon className="size-4" aria-hidden />
      <span className="sr-only">{`${name}'s connection is ${label}`}</span>
    </span>
  );
}
