import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import type { CallBooking } from "../api/calls";
import { useDeviceChoices } from "../lib/device-choices";
import { Lobby } from "./lobby";

const booking = {
  id: "b1",
  viewer_role: "client",
  client: { id: "c1", full_name: "Tunde Bello", time_zone: "Africa/Lagos" },
  expert: { id: "e1", full_name: "Chioma Eze", time_zone: "Africa/Lagos" },
  area: { id: "a1", title: "Tax return review" },
  start: "2026-12-06T10:00:00Z",
  end: "2026-12-06T11:00:00Z",
} as unknown as CallBooking;

/** A browser whose camera is refused (or busy) and whose microphone works: getUserMedia by kind. */
function fakeMedia(videoFailure: string) {
  const stream = { getTracks: () => [], getAudioTracks: () => [] } as unknown as MediaStream;
  const getUserMedia = vi.fn(async (constraints: MediaStreamConstraints) => {
    if (constraints.video) throw new DOMException("no", videoFailure);
    return stream;
  });
  Object.defineProperty(navigator, "mediaDevices", {
    configurable: true,
    value: { getUserMedia, enumerateDevices: async () => [], addEventListener: () => {}, removeEventListener: () => {} },
  });
  return getUserMedia;
}

beforeEach(() => {
  localStorage.clear();
  useDeviceChoices.setState({ videoEnabled: true, audioEnabled: false, videoDeviceId: "", audioDeviceId: "", audioOutputId: "" });
});
afterEach(() => vi.restoreAllMocks());

test("a refused camera says how to allow it, retries, and lets the person join with the camera off", async () => {
  const getUserMedia = fakeMedia("NotAllowedError");
  const onJoin = vi.fn();
  render(<Lobby booking={booking} joining={false} onJoin={onJoin} />);
  expect(screen.getByText("Chioma Eze")).toBeInTheDocument();
  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent("The browser is not allowed to use your camera");
  expect(alert).toHaveTextContent("allow the camera and microphone for this site");

  await userEvent.click(screen.getByRole("button", { name: "Try again" }));
  await waitFor(() => expect(getUserMedia).toHaveBeenCalledTimes(2));

  await userEvent.click(screen.getByRole("button", { name: "Join with camera off" }));
  expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  await userEvent.click(screen.getByRole("button", { name: "Join call" }));
  expect(onJoin).toHaveBeenCalledWith(expect.objectContaining({ videoEnabled: false, audioEnabled: false }));
  expect(JSON.parse(localStorage.getItem("procus.call-devices") ?? "{}").state.videoEnabled).toBe(false);
});

test("a camera in use by another app is told apart from a missing one", async () => {
  fakeMedia("NotReadableError");
  const { unmount } = render(<Lobby booking={booking} joining={false} onJoin={() => {}} />);
  expect(await screen.findByRole("alert")).toHaveTextContent("Your camera is busy or not responding");
  unmount();
  fakeMedia("NotFoundError");
  render(<Lobby booking={booking} joining={false} onJoin={() => {}} />);
  expect(await screen.findByRole("alert")).toHaveTextContent("No camera found");
});

test("join waits until the devices have answered, and while the window is not open says why", async () => {
  fakeMedia("NotFoundError");
  render(<Lobby booking={booking} joining={false} joinBlocked="Opens in 4:09" onJoin={() => {}} />);
  await screen.findByRole("alert");
  expect(screen.getByRole("button", { name: "Opens in 4:09" })).toBeDisabled();
});
