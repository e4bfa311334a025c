import { useEffect, useState } from "react";

/**
 * The loudness of a microphone stream, 0..1, sampled about 15 times a second (for the lobby's meter).
 * Peaks fall back over about a second, as on a real meter, so short sounds stay visible. Browsers may
 * start an AudioContext suspended when no click preceded it; it is resumed now and on the next click.
 */
export function useAudioLevel(stream: MediaStream | null): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!stream || stream.getAudioTracks().length === 0) {
      setLevel(0);
      return;
    }
    const context = new AudioContext();
    const resume = () => {
      if (context.state === "suspended") void context.resume();
    };
    resume();
    window.addEventListener("pointerdown", resume);
    window.addEventListener("keydown", resume);
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const timer = window.setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const now = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      setLevel((previous) => Math.max(now, previous * 0.85));
    }, 66);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener("pointerdown", resume);
      window.removeEventListener("keydown", resume);
      void context.close();
    };
  }, [stream]);
  return level;
}
