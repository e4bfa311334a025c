import { useCallback, useEffect, useState } from "react";
import { mediaProblem, type MediaProblem } from "./media-errors";

export interface LocalPreview {
  video: MediaStream | null;
  audio: MediaStream | null;
  videoProblem: MediaProblem | null;
  audioProblem: MediaProblem | null;
  /** Both requested devices have answered (a stream or a problem): joining is decided. */
  settled: boolean;
  devices: MediaDeviceInfo[];
  retry: () => void;
}

function stop(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
}

async function open(kind: "video" | "audio", deviceId: string): Promise<MediaStream> {
  const constraints: MediaTrackConstraints = deviceId ? { deviceId: { ideal: deviceId } } : {};
  return navigator.mediaDevices.getUserMedia(kind === "video" ? { video: { ...constraints, width: { ideal: 1280 }, height: { ideal: 720 } } } : { audio: constraints });
}

/**
 * The lobby's camera and microphone, opened separately so each failure gets its own message, and
 * the device lists (with labels once permission is granted). Streams stop when choices change or the
 * lobby closes, so the call can take the devices.
 */
export function useLocalPreview(choices: { videoEnabled: boolean; audioEnabled: boolean; videoDeviceId: string; audioDeviceId: string }): LocalPreview {
  const [attempt, setAttempt] = useState(0);
  const [video, setVideo] = useState<MediaStream | null>(null);
  const [audio, setAudio] = useState<MediaStream | null>(null);
  const [videoProblem, setVideoProblem] = useState<MediaProblem | null>(null);
  const [audioProblem, setAudioProblem] = useState<MediaProblem | null>(null);
  const [pending, setPending] = useState({ video: true, audio: true });
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);

  const listDevices = useCallback(async () => {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    setDevices(await navigator.mediaDevices.enumerateDevices());
  }, []);

  useEffect(() => {
    navigator.mediaDevices?.addEventListener?.("devicechange", listDevices);
    return () => navigator.mediaDevices?.removeEventListener?.("devicechange", listDevices);
  }, [listDevices]);

  useEffect(() => {
    let cancelled = false;
    let opened: MediaStream | null = null;
    setVideoProblem(null);
    setPending((p) => ({ ...p, video: choices.videoEnabled }));
    if (!choices.videoEnabled) {
      setVideo(null);
      return;
    }
    open("video", choices.videoDeviceId).then(
      (stream) => {
        if (cancelled) return stop(stream);
        opened = stream;
        setVideo(stream);
        setPending((p) => ({ ...p, video: false }));
        void listDevices();
      },
      (error: unknown) => {
        if (cancelled) return;
        setVideo(null);
        setVideoProblem(mediaProblem(error, "camera"));
        setPending((p) => ({ ...p, video: false }));
        void listDevices();
      },
    );
    return () => {
      cancelled = true;
      stop(opened);
    };
  }, [choices.videoEnabled, choices.videoDeviceId, attempt, listDevices]);

  useEffect(() => {
    let cancelled = false;
    let opened: MediaStream | null = null;
    setAudioProblem(null);
    setPending((p) => ({ ...p, audio: choices.audioEnabled }));
    if (!choices.audioEnabled) {
      setAudio(null);
      return;
    }
    open("audio", choices.audioDeviceId).then(
      (stream) => {
        if (cancelled) return stop(stream);
        opened = stream;
        setAudio(stream);
        setPending((p) => ({ ...p, audio: false }));
        void listDevices();
      },
      (error: unknown) => {
        if (cancelled) return;
        setAudio(null);
        setAudioProblem(mediaProblem(error, "microphone"));
        setPending((p) => ({ ...p, audio: false }));
        void listDevices();
      },
    );
    return () => {
      cancelled = true;
      stop(opened);
    };
  }, [choices.audioEnabled, choices.audioDeviceId, attempt, listDevices]);

  return {
    video,
    audio,
    videoProblem,
    audioProblem,
    settled: !pending.video && !pending.audio,
    devices,
    retry: () => setAttempt((n) => n + 1),
  };
}
