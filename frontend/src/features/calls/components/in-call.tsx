import { RoomAudioRenderer, RoomContext, useAudioPlayback, useConnectionState, useRoomContext, useTrackToggle, useTracks } from "@livekit/components-react";
import { ConnectionState, DisconnectReason, Room, RoomEvent, Track, VideoPresets, type RemoteParticipant } from "livekit-client";
import { Loader2, Mic, MicOff, PhoneOff, Video, VideoOff, Volume2 } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { problemMessage } from "@/lib/problem";
import { useEndCall, type Call, type CallBooking, type CallToken } from "../api/calls";
import type { DeviceChoices } from "../lib/device-choices";
import { ChatPanel } from "./chat-panel";
import { DeviceSettings } from "./device-settings";
import { TimeLeft } from "./time-left";
import { VideoTile } from "./video-tile";

declare global {
  interface Window {
    /** The call's LiveKit room, for support diagnostics and the browser tests (as LiveKit Meet's debug mode does). */
    procusCall?: Room;
  }
}

/** Why the page left the room: the call is over, the person left, or the connection gave up. */
export type LeftReason = "ended" | "left" | "lost";

function roomOptions(choices: DeviceChoices) {
  return {
    adaptiveStream: true,
    dynacast: true,
    publishDefaults: { simulcast: true, videoSimulcastLayers: [VideoPresets.h180, VideoPresets.h360] },
    videoCaptureDefaults: { deviceId: choices.videoDeviceId || undefined, resolution: VideoPresets.h720.resolution },
    audioCaptureDefaults: { deviceId: choices.audioDeviceId || undefined },
    audioOutput: { deviceId: choices.audioOutputId || undefined },
  };
}

/** The call itself: connects with the lobby's choices and shows the room until it is left or ended. */
export function InCall({ token, call, booking, choices, onLeft }: { token: CallToken; call: Call; booking: CallBooking; choices: DeviceChoices; onLeft: (reason: LeftReason) => void }) {
  const room = useMemo(() => new Room(roomOptions(choices)), [choices]);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    window.procusCall = room;
    const disconnected = (reason?: DisconnectReason) => {
      if (reason === DisconnectReason.CLIENT_INITIATED) return;
      if (reason === DisconnectReason.ROOM_DELETED || reason === DisconnectReason.PARTICIPANT_REMOVED || reason === DisconnectReason.ROOM_CLOSED) onLeft("ended");
      else onLeft("lost");
    };
    room.on(RoomEvent.Disconnected, disconnected);
    room
      .connect(token.url, token.token)
      .then(async () => {
        if (choices.audioEnabled) await room.localParticipant.setMicrophoneEnabled(true);
        if (choices.videoEnabled) await room.localParticipant.setCameraEnabled(true);
      })
      .catch((error: unknown) => setFailure(error instanceof Error ? error.message : "The connection failed"));
    return () => {
      room.off(RoomEvent.Disconnected, disconnected);
      void room.disconnect();
      if (window.procusCall === room) delete window.procusCall;
    };
  }, [room, token, choices, onLeft]);

  if (failure) {
    return (
      <div role="alert" className="flex flex-col items-start gap-3 rounded-lg border border-red-200 bg-red-50 p-4 text-red-900">
        <p className="font-medium">We could not connect you to the call.</p>
        <p className="text-sm">{failure}</p>
        <Button onClick={() => onLeft("lost")}>Try again</Button>
      </div>
    );
  }
  return (
    <RoomContext.Provider value={room}>
      <CallStage call={call} booking={booking} onLeave={() => (void room.disconnect(), onLeft("left"))} onEnded={() => (void room.disconnect(), onLeft("ended"))} />
      <RoomAudioRenderer />
    </RoomContext.Provider>
  );
}

function usePresenceNotices(room: Room, name: string): string | null {
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    const joined = (_p: RemoteParticipant) => {
      setNotice(`${name} is here.`);
      toast(`${name} joined the call`);
    };
    // When the call ends for everyone the other person "leaves" just before the room closes: wait a
    // moment and say nothing if this page was disconnected too.
    const left = (_p: RemoteParticipant) => {
      window.setTimeout(() => {
        if (room.state !== ConnectionState.Connected) return;
        setNotice(`${name} left the call. They can rejoin while the call is open.`);
        toast(`${name} left the call`);
      }, 1500);
    };
    room.on(RoomEvent.ParticipantConnected, joined);
    room.on(RoomEvent.ParticipantDisconnected, left);
    return () => {
      room.off(RoomEvent.ParticipantConnected, joined);
      room.off(RoomEvent.ParticipantDisconnected, left);
    };
  }, [room, name]);
  return notice;
}

function CallStage({ call, booking, onLeave, onEnded }: { call: Call; booking: CallBooking; onLeave: () => void; onEnded: () => void }) {
  const tracks = useTracks([{ source: Track.Source.Camera, withPlaceholder: true }]);
  const state = useConnectionState();
  const room = useRoomContext();
  const other = booking.viewer_role === "expert" ? booking.client : booking.expert;
  const remote = tracks.find((t) => !t.participant.isLocal);
  const local = tracks.find((t) => t.participant.isLocal);
  const mic = useTrackToggle({ source: Track.Source.Microphone });
  const camera = useTrackToggle({ source: Track.Source.Camera });
  const { canPlayAudio, startAudio } = useAudioPlayback();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const end = useEndCall(call.booking_id);
  const notice = usePresenceNotices(room, other.full_name);

  return (
    <div className="flex flex-col gap-3" data-connection={state}>
      {(state === ConnectionState.Reconnecting || state === ConnectionState.SignalReconnecting) && (
        <div role="status" data-testid="reconnecting" className="flex items-center gap-2 rounded-lg bg-amber-100 px-3 py-2 text-sm text-amber-950">
          <Loader2 className="size-4 animate-spin" aria-hidden /> Reconnecting… your call continues as soon as the connection is back.
        </div>
      )}
      {!canPlayAudio && (
        <Button variant="default" onClick={() => void startAudio()} className="self-start">
          <Volume2 aria-hidden /> Click to enable audio
        </Button>
      )}
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-zinc-100">
        <TimeLeft call={call} />
        {notice && (
          <p className="text-sm text-zinc-300" data-testid="presence" aria-live="polite">
            {notice}
          </p>
        )}
      </div>
      <div className="grid gap-3 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="flex min-w-0 flex-col gap-3">
          <div className="relative">
            {remote ? <VideoTile trackRef={remote} name={other.full_name} /> : <WaitingTile name={other.full_name} />}
            {local && (
              <div className="absolute right-2 top-2 w-28 sm:w-44">
                <VideoTile trackRef={local} name="You" small />
              </div>
            )}
          </div>
          <div className="flex flex-wrap items-center justify-center gap-2 rounded-xl bg-zinc-800 p-2">
            <Button variant={mic.enabled ? "secondary" : "destructive"} aria-pressed={!mic.enabled} disabled={mic.pending} onClick={() => void mic.toggle()}>
              {mic.enabled ? <Mic aria-hidden /> : <MicOff aria-hidden />} {mic.enabled ? "Mute" : "Unmute"}
            </Button>
            <Button variant={camera.enabled ? "secondary" : "destructive"} aria-pressed={!camera.enabled} disabled={camera.pending} onClick={() => void camera.toggle()}>
              {camera.enabled ? <Video aria-hidden /> : <VideoOff aria-hidden />} {camera.enabled ? "Stop camera" : "Start camera"}
            </Button>
            <DeviceSettings />
            <Button variant="secondary" onClick={onLeave}>
              Leave
            </Button>
            <Button variant="destructive" onClick={() => setConfirmEnd(true)}>
              <PhoneOff aria-hidden /> End call
            </Button>
          </div>
        </div>
        <ChatPanel />
      </div>
      <Dialog open={confirmEnd} onOpenChange={(open) => (setConfirmEnd(open), end.reset())}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>End the call for both of you?</DialogTitle>
            <DialogDescription>
              The consultation is marked as held and neither of you can rejoin. To step out and come back, use Leave instead.
            </DialogDescription>
          </DialogHeader>
          {end.isError && (
            <p role="alert" className="text-sm text-red-700">
              {problemMessage(end.error)}
            </p>
          )}
          <DialogFooter>
            <Button variant="outline" onClick={() => setConfirmEnd(false)}>
              Keep talking
            </Button>
            <Button variant="destructive" disabled={end.isPending} onClick={() => end.mutate(undefined, { onSuccess: onEnded })}>
              {end.isPending ? "Ending…" : "End call"}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </div>
  );
}

function WaitingTile({ name }: { name: string }) {
  return (
    <div className="flex aspect-video w-full flex-col items-center justify-center gap-2 rounded-xl bg-zinc-900 text-sm text-zinc-300" data-testid="waiting">
      <Loader2 className="size-6 animate-spin" aria-hidden />
      Waiting for {name} to join…
    </div>
  );
}
