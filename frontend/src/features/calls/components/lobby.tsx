import { Mic, MicOff, Video, VideoOff, Volume2 } from "lucide-react";
import type * as React from "react";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { useViewerClock } from "@/lib/preferences";
import { formatDateTime, formatTime, zoneLabel } from "@/lib/time";
import type { CallBooking } from "../api/calls";
import { useDeviceChoices, type DeviceChoices } from "../lib/device-choices";
import { playTestSound } from "../lib/test-sound";
import { useLocalPreview } from "../lib/use-local-preview";
import { DeviceSelect } from "./device-select";
import { MediaProblemAlert } from "./media-problem-alert";
import { MicMeter } from "./mic-meter";

/**
 * Before joining: a live camera preview, a microphone meter, camera/microphone/speaker pickers remembered
 * in this browser, a speaker test, and a specific message with a fix for each device failure. Join stays
 * disabled until both devices have answered; either may be turned off to join without it.
 */
export function Lobby({
  booking,
  joining,
  joinBlocked,
  onJoin,
  children,
}: {
  booking: CallBooking;
  joining: boolean;
  /** Why joining is not possible yet (e.g. a countdown to the window), shown instead of enabling Join. */
  joinBlocked?: string;
  onJoin: (choices: DeviceChoices) => void;
  children?: React.ReactNode;
}) {
  const choices = useDeviceChoices();
  const preview = useLocalPreview(choices);
  const { zone, cycle } = useViewerClock();
  const [testing, setTesting] = useState(false);
  const videoRef = useRef<HTMLVideoElement>(null);
  const other = booking.viewer_role === "expert" ? booking.client : booking.expert;

  useEffect(() => {
    if (videoRef.current) videoRef.current.srcObject = preview.video;
  }, [preview.video]);

  const join = () => {
    const { videoEnabled, audioEnabled, videoDeviceId, audioDeviceId, audioOutputId } = choices;
    onJoin({ videoEnabled: videoEnabled && !preview.videoProblem, audioEnabled: audioEnabled && !preview.audioProblem, videoDeviceId, audioDeviceId, audioOutputId });
  };

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <div className="flex min-w-0 flex-col gap-3">
        <div className="relative aspect-video overflow-hidden rounded-xl bg-zinc-900">
          {preview.video ? (
            <video ref={videoRef} autoPlay playsInline muted aria-label="Your camera preview" data-testid="lobby-preview" className="size-full -scale-x-100 object-cover" />
          ) : (
            <div className="flex size-full items-center justify-center text-sm text-zinc-300">{choices.videoEnabled ? (preview.videoProblem ? "Camera unavailable" : "Starting your camera…") : "Your camera is off"}</div>
          )}
        </div>
        <div className="flex flex-wrap gap-2">
          <Button variant={choices.audioEnabled ? "secondary" : "destructive"} aria-pressed={!choices.audioEnabled} onClick={() => choices.choose({ audioEnabled: !choices.audioEnabled })}>
            {choices.audioEnabled ? <Mic aria-hidden /> : <MicOff aria-hidden />}
            {choices.audioEnabled ? "Microphone on" : "Microphone off"}
          </Button>
          <Button variant={choices.videoEnabled ? "secondary" : "destructive"} aria-pressed={!choices.videoEnabled} onClick={() => choices.choose({ videoEnabled: !choices.videoEnabled })}>
            {choices.videoEnabled ? <Video aria-hidden /> : <VideoOff aria-hidden />}
            {choices.videoEnabled ? "Camera on" : "Camera off"}
          </Button>
        </div>
        {choices.audioEnabled && !preview.audioProblem && <MicMeter stream={preview.audio} />}
        {preview.videoProblem && choices.videoEnabled && (
          <MediaProblemAlert problem={preview.videoProblem} onRetry={preview.retry} onTurnOff={() => choices.choose({ videoEnabled: false })} turnOffLabel="Join with camera off" />
        )}
        {preview.audioProblem && choices.audioEnabled && (
          <MediaProblemAlert problem={preview.audioProblem} onRetry={preview.retry} onTurnOff={() => choices.choose({ audioEnabled: false })} turnOffLabel="Join with microphone off" />
        )}
      </div>
      <Card className="self-start">
        <CardContent className="flex flex-col gap-4 pt-4 sm:pt-6">
          <div>
            <p className="text-sm text-muted-foreground">{booking.area.title} with</p>
            <p className="text-lg font-semibold" data-testid="lobby-other">
              {other.full_name}
            </p>
            <p className="text-sm" data-testid="lobby-time">
              {formatDateTime(booking.start, zone, cycle)}–{formatTime(booking.end, zone, cycle)} <span className="text-muted-foreground">({zoneLabel(zone, new Date(booking.start))})</span>
            </p>
          </div>
          <DeviceSelect label="Camera" kind="videoinput" devices={preview.devices} value={choices.videoDeviceId} onChange={(id) => choices.choose({ videoDeviceId: id })} disabled={!choices.videoEnabled} />
          <DeviceSelect label="Microphone" kind="audioinput" devices={preview.devices} value={choices.audioDeviceId} onChange={(id) => choices.choose({ audioDeviceId: id })} disabled={!choices.audioEnabled} />
          <div className="flex items-end gap-2">
            <div className="min-w-0 flex-1">
              <DeviceSelect label="Speaker" kind="audiooutput" devices={preview.devices} value={choices.audioOutputId} onChange={(id) => choices.choose({ audioOutputId: id })} />
            </div>
            <Button
              variant="outline"
              disabled={testing}
              onClick={() => {
                setTesting(true);
                playTestSound(choices.audioOutputId).finally(() => setTesting(false));
              }}
            >
              <Volume2 aria-hidden /> {testing ? "Playing…" : "Test speaker"}
            </Button>
          </div>
          <Button size="lg" onClick={join} disabled={!preview.settled || joining || !!joinBlocked}>
            {joining ? "Joining…" : !preview.settled ? "Checking your devices…" : (joinBlocked ?? "Join call")}
          </Button>
          {children}
        </CardContent>
      </Card>
    </div>
  );
}
