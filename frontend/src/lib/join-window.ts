import { useEffect, useState } from "react";

/**
 * Where "now" stands against a call's join window as the API states it (`join_opens_at` /
 * `join_closes_at` on every booking, `opens_at` / `closes_at` on the call): the one place the join
 * button and the call page decide whether joining is possible.
 */
export type JoinState = { kind: "before"; msLeft: number } | { kind: "open"; msLeft: number } | { kind: "after" };

export function joinState(opensAt: string, closesAt: string, now: number): JoinState {
  const opens = Date.parse(opensAt);
  const closes = Date.parse(closesAt);
  if (now < opens) return { kind: "before", msLeft: opens - now };
  if (now >= closes) return { kind: "after" };
  return { kind: "open", msLeft: closes - now };
}

/** "2 d 3 h", "1 h 05 min", "4:09": a countdown that stays short. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, "0")} min`;
  return `${minutes}:${String(seconds).padStart(2, "0")}`;
}

/** The current time, re-rendering every `everyMs`. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Where a booking's call is held: the lobby, then the call (the same path the API mails and puts in invites). */
export function callPath(bookingId: string): string {
  return `/bookings/${bookingId}/call`;
}
