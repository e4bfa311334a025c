import { isTrackReference, useIsMuted, VideoTrack, type TrackReferenceOrPlaceholder } from "@livekit/components-react";
import { Track } from "livekit-client";
import { MicOff, VideoOff } from "lucide-react";
import { cn } from "@/lib/utils";
import { ConnectionQualityBadge } from "./connection-quality";

/** One person's video (or a placeholder), their name, whether their microphone is muted, and their connection. */
export function VideoTile({ trackRef, name, small, waiting }: { trackRef: TrackReferenceOrPlaceholder; name: string; small?: boolean; waiting?: string }) {
  const participant = trackRef.participant;
  const micMuted = useIsMuted({ participant, source: Track.Source.Microphone });
  const cameraOn = isTrackReference(trackRef) && !trackRef.publication.isMuted;
  const who = participant.isLocal ? "local" : "remote";
  return (
    <figure
      data-participant={who}
      aria-label={participant.isLocal ? "Your video" : `${name}'s video`}
      className={cn("relative aspect-video w-full overflow-hidden bg-zinc-900", small ? "rounded-lg shadow-lg ring-1 ring-white/20" : "rounded-xl")}
    >
      {cameraOn && isTrackReference(trackRef) ? (
        <VideoTrack trackRef={trackRef} data-video={who} className={cn("size-full object-cover", participant.isLocal && "-scale-x-100")} />
      ) : (
        <div className="flex size-full flex-col items-center justify-center gap-2 text-sm text-zinc-300">
          <VideoOff className="size-6" aria-hidden />
          {waiting ?? `${name}'s camera is off`}
        </div>
      )}
      <figcaption
        className={cn(
          "absolute flex items-center gap-2 rounded-md bg-black/60 text-white",
          small ? "inset-x-1 bottom-1 px-1.5 py-0.5 text-[11px]" : "inset-x-2 bottom-2 px-2 py-1 text-xs",
        )}
      >
        <span className="truncate">{participant.isLocal ? "You" : name}</span>
        {micMuted && (
          <span className="inline-flex items-center gap-1" data-muted={who} aria-label={participant.isLocal ? "You are muted" : `${name} is muted`} role="img">
            <MicOff className="size-3.5" aria-hidden /> muted
          </span>
        )}
        <span className="ml-auto">
          <ConnectionQualityBadge participant={participant} name={participant.isLocal ? "Your" : name} />
        </span>
      </figcaption>
    </figure>
  );
}
