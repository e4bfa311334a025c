import { readdirSync, readFileSync } from "node:fs";
import { expect, type LaunchOptions, type Page } from "@playwright/test";
import type { Room } from "livekit-client";

declare global {
  interface Window {
    /** The call page's LiveKit room (features/calls/components/in-call.tsx). */
    procusCall?: Room;
  }
}

/**
 * Chromium for two people on a real call over loopback (see /work/shared/docs/web-app.md):
 * fake camera and microphone, permission prompts answered, loopback ICE candidates allowed, and
 * mDNS hiding of local addresses off. Chromium honours only the last `--disable-features`, so
 * WebRtcHideLocalIpsWithMdns joins Playwright's own list (playwright-core 1.64.1) in one flag.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync",
  "DestroyProfileOnBrowserClose",
  "DialMediaRouteProvider",
  "GlobalMediaControls",
  "HttpsUpgrades",
  "LensOverlay",
  "MediaRouter",
  "PaintHolding",
  "ThirdPartyStoragePartitioning",
  "BlockOriginHeaderModificationOnRedirect",
  "AvoidCorsURLLoaderRestartOnRedirect",
  "Translate",
  "AutoDeElevate",
  "OptimizationHints",
  "NetworkTimeServiceQuerying",
  "AimEnabled",
  "msForceBrowserSignIn",
  "msEdgeUpdateLaunchServicesPreferredVersion",
].join(",");

export const callBrowser: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  ignoreDefaultArgs: [`--disable-features=${PLAYWRIGHT_DISABLED_FEATURES}`],
  args: [
    `--disable-features=${PLAYWRIGHT_DISABLED_FEATURES},WebRtcHideLocalIpsWithMdns`,
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required",
  ],
};

/** The running Chromium browser processes (not their helpers) carry exactly one `--disable-features`, ours. */
export function checkOneDisableFeaturesFlag(): void {
  const browsers: string[][] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    } catch {
      continue;
    }
    if (args.includes("--use-fake-device-for-media-stream") && !args.some((a) => a.startsWith("--type="))) browsers.push(args);
  }
  expect(browsers.length, "a Chromium with the fake media flags is running").toBeGreaterThan(0);
  for (const args of browsers) {
    const flags = args.filter((a) => a.startsWith("--disable-features="));
    expect(flags).toHaveLength(1);
    expect(flags[0]).toContain("WebRtcHideLocalIpsWithMdns");
  }
}

export interface MediaProof {
  videoWidth: number;
  currentTime: number;
  framesDecoded: number;
  localAddress: string;
  remoteAddress: string;
  pair: string;
}

/**
 * What this page receives from the other person, read from the call's LiveKit room (`window.procusCall`):
 * the remote <video>'s size and clock, the remote camera track's `inbound-rtp` frames decoded, and the
 * addresses of the selected ICE candidate pair behind it.
 */
export async function remoteMedia(page: Page): Promise<MediaProof> {
  return page.evaluate(async () => {
    const room = window.procusCall;
    if (!room) throw new Error("no call on this page");
    const video = document.querySelector<HTMLVideoElement>('video[data-video="remote"]');
    const participant = [...room.remoteParticipants.values()][0];
    const track = participant ? [...participant.videoTrackPublications.values()].find((p) => p.track)?.track : undefined;
    if (!video || !track) return { videoWidth: 0, currentTime: 0, framesDecoded: 0, localAddress: "", remoteAddress: "", pair: "" };
    const report = await track.getRTCStatsReport();
    const stats: Record<string, unknown>[] = [];
    report?.forEach((s: Record<string, unknown>) => stats.push(s));
    const inbound = stats.find((s) => s.type === "inbound-rtp" && s.kind === "video");
    const transport = stats.find((s) => s.type === "transport");
    const pair = stats.find((s) => s.id === transport?.selectedCandidatePairId) ?? stats.find((s) => s.type === "candidate-pair" && s.state === "succeeded" && s.nominated);
    const local = stats.find((s) => s.id === pair?.localCandidateId);
    const remote = stats.find((s) => s.id === pair?.remoteCandidateId);
    const describe = (c?: Record<string, unknown>) => (c ? `${String(c.protocol)} ${String(c.address ?? c.ip)}:${String(c.port)} (${String(c.candidateType)})` : "");
    return {
      videoWidth: video.videoWidth,
      currentTime: video.currentTime,
      framesDecoded: Number(inbound?.framesDecoded ?? 0),
      localAddress: String(local?.address ?? local?.ip ?? ""),
      remoteAddress: String(remote?.address ?? remote?.ip ?? ""),
      pair: `${describe(local)} → ${describe(remote)}`,
    };
  });
}

/** Wait until the remote video plays: frames arrive, are decoded and the clock moves, all over 127.0.0.0/8. */
export async function expectRemoteVideoPlaying(page: Page, who: string): Promise<MediaProof> {
  let first: MediaProof | undefined;
  await expect(async () => {
    first = await remoteMedia(page);
    expect(first.videoWidth, `${who}: remote videoWidth`).toBeGreaterThan(0);
    expect(first.framesDecoded, `${who}: frames decoded`).toBeGreaterThan(0);
  }).toPass({ timeout: 30_000, intervals: [250, 500, 1000] });
  await page.waitForTimeout(1500);
  const later = await remoteMedia(page);
  const before = first as MediaProof;
  expect(later.currentTime, `${who}: the remote video's currentTime advances`).toBeGreaterThan(before.currentTime);
  expect(later.framesDecoded, `${who}: inbound-rtp framesDecoded increases`).toBeGreaterThan(before.framesDecoded);
  expect(later.localAddress, `${who}: selected pair ${later.pair}`).toMatch(/^127\./);
  expect(later.remoteAddress, `${who}: selected pair ${later.pair}`).toMatch(/^127\./);
  console.log(`${who}: remote video ${later.videoWidth} px wide, +${later.framesDecoded - before.framesDecoded} frames in 1.5 s, pair ${later.pair}`);
  return later;
}

/** The loudest the other person's microphone has been on this page's incoming audio (inbound-rtp audioLevel). */
export async function remoteAudioLevel(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const room = window.procusCall;
    const participant = room ? [...room.remoteParticipants.values()][0] : undefined;
    const track = participant ? [...participant.audioTrackPublications.values()].find((p) => p.track)?.track : undefined;
    const report = await track?.getRTCStatsReport();
    const stats: Record<string, unknown>[] = [];
    report?.forEach((s: Record<string, unknown>) => stats.push(s));
    const inbound = stats.find((s) => s.type === "inbound-rtp" && s.kind === "audio");
    return Number(inbound?.audioLevel ?? 0);
  });
}
