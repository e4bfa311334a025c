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

interface DeviceState {
  stream: MediaStream | null;
  problem: MediaProblem | null;
  pending: boolean;
}

function stop(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
}

function constraints(kind: "video" | "audio", deviceId: string): MediaStreamConstraints {
  const device: MediaTrackConstraints = deviceId ? { deviceId: { ideal: deviceId } } : {};
  return kind === "video" ? { video: { ...device, width: { ideal: 1280 }, height: { ideal: 720 } } } : { audio: device };
}

/** One device opened for the preview while `enabled`, reopened on a new `deviceId` or `attempt`, stopped after. */
function useDevice(kind: "video" | "audio", enabled: boolean, deviceId: string, attempt: number, onAnswer: () => void): DeviceState {
  const [state, setState] = useState<DeviceState>({ stream: null, problem: null, pending: enabled });
  useEffect(() => {
    if (!enabled) {
      setState({ stream: null, problem: null, pending: false });
      return;
    }
    let cancelled = false;
    let opened: MediaStream | null = null;
    setState({ stream: null, problem: null, pending: true });
    navigator.mediaDevices.getUserMedia(constraints(kind, deviceId)).then(
      (stream) => {
        if (cancelled) return stop(stream);
        opened = stream;
        setState({ stream, problem: null, pending: false });
        onAnswer();
      },
      (error: unknown) => {
        if (cancelled) return;
        setState({ stream: null, problem: mediaProblem(error, kind === "video" ? "camera" : "microphone"), pending: false });
        onAnswer();
      },
    );
    return () => {
      cancelled = true;
      stop(opened);
    };
  }, [kind, enabled, deviceId, attempt, onAnswer]);
  return state;
}

/**
 * The lobby's camera and microphone, opened separately so each failure gets its own message, and
 * the device lists (with labels once permission is granted). Streams stop when choices change or the
 * lobby closes, so the call can take the devices.
 */
export function useLocalPreview(choices: { videoEnabled: boolean; audioEnabled: boolean; videoDeviceId: string; audioDeviceId: string }): LocalPreview {
  const [attempt, setAttempt] = useState(0);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);

  const listDevices = useCallback(() => {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    void navigator.mediaDevices.enumerateDevices().then(setDevices);
  }, []);

  useEffect(() => {
    navigator.mediaDevices?.addEventListener?.("devicechange", listDevices);
    return () => navigator.mediaDevices?.removeEventListener?.("devicechange", listDevices);
  }, [listDevices]);

  const video = useDevice("video", choices.videoEnabled, choices.videoDeviceId, attempt, listDevices);
  const audio = useDevice("audio", choices.audioEnabled, choices.audioDeviceId, attempt, listDevices);

  return {
    video: video.stream,
    audio: audio.stream,
    videoProblem: video.problem,
    audioProblem: audio.problem,
    settled: !video.pending && !audio.pending,
    devices,
    retry: () => setAttempt((n) => n + 1),
  };
}
