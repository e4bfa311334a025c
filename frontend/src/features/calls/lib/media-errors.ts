/**
 * Why the camera or microphone could not start, in words a person can act on. Browsers report
 * getUserMedia failures as DOMException names; Chrome's older names are mapped too.
 */
export type MediaProblemKind = "permission" | "in-use" | "no-device" | "other";

export interface MediaProblem {
  kind: MediaProblemKind;
  title: string;
  howToFix: string;
}

export function mediaProblem(error: unknown, device: "camera" | "microphone" | "camera and microphone"): MediaProblem {
  const name = error instanceof Error || (typeof DOMException !== "undefined" && error instanceof DOMException) ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "PermissionDeniedError":
    case "SecurityError":
      return {
        kind: "permission",
        title: `The browser is not allowed to use your ${device}`,
        howToFix: "Click the camera icon in the address bar (or the site settings), allow the camera and microphone for this site, then try again.",
      };
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return {
        kind: "in-use",
        title: `Your ${device} is busy or not responding`,
        howToFix: "Another app or tab may be using it: close video apps (Zoom, Teams, another call tab) or unplug and reconnect the device, then try again.",
      };
    case "NotFoundError":
    case "DevicesNotFoundError":
    case "OverconstrainedError":
      return {
        kind: "no-device",
        title: `No ${device} found`,
        howToFix: "Connect one (or pick another in the list), check it is switched on, then try again. You can also join with it off.",
      };
    default:
      return {
        kind: "other",
        title: `Your ${device} could not start`,
        howToFix: `${error instanceof Error && error.message ? `${error.message}. ` : ""}Try again, or reload the page.`,
      };
  }
}
