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
      className={cn("relative overflow-hidden rounded-xl bg-zinc-900", small ? "aspect-video w-full" : "aspect-video w-full")}
    >
      {cameraOn && isTrackReference(trackRef) ? (
        <VideoTrack trackRef={trackRef} data-video={who} className={cn("size-full object-cover", participant.isLocal && "-scale-x-100")} />
      ) : (
        <div className="flex size-full flex-col items-center justify-center gap-2 text-sm text-zinc-300">
          <VideoOff className="size-6" aria-hidden />
          {waiting ?? `${name}'s camera is off`}
        </div>
      )}
      <figcaption className="absolute inset-x-2 bottom-2 flex items-center gap-2 rounded-md bg-black/60 px-2 py-1 text-xs text-white">
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
