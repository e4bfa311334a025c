import { VideoOff } from "lucide-react";
import { Button } from "@/components/ui/button";

/** The API answered 503 video_unavailable: the video server is down or unreachable, not the person's fault. */
export function VideoUnavailable({ onRetry, retrying }: { onRetry: () => void; retrying: boolean }) {
  return (
    <div role="alert" data-testid="video-unavailable" className="mx-auto flex max-w-lg flex-col items-center gap-4 rounded-xl border bg-card p-8 text-center">
      <VideoOff className="size-10 text-muted-foreground" aria-hidden />
      <h2 className="text-xl font-semibold">The video service is not answering right now</h2>
      <p className="text-muted-foreground">
        This is on our side, not your connection or devices. Your booking is safe and the join window stays open; try again in a
        minute.
      </p>
      <Button onClick={onRetry} disabled={retrying}>
        {retrying ? "Trying…" : "Try again"}
      </Button>
    </div>
  );
}
