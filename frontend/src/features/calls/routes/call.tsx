import { useQuery, useQueryClient } from "@tanstack/react-query";
import type * as React from "react";
import { useCallback, useState } from "react";
import { Link, useParams } from "react-router";
import { ErrorState, LoadingState } from "@/components/page-state";
import { Button } from "@/components/ui/button";
import { useDocumentTitle } from "@/lib/document-title";
import { formatCountdown, joinState, useNow } from "@/lib/join-window";
import { ApiProblem, problemMessage } from "@/lib/problem";
import { sharedKeys } from "@/lib/shared-queries";
import { callBookingQuery, callKeys, callQuery, useJoinToken, type Call, type CallBooking, type CallToken } from "../api/calls";
import { AfterCall } from "../components/after-call";
import { InCall, type LeftReason } from "../components/in-call";
import { Lobby } from "../components/lobby";
import { VideoUnavailable } from "../components/video-unavailable";
import type { DeviceChoices } from "../lib/device-choices";

type Stage = { kind: "lobby"; note?: string } | { kind: "call"; token: CallToken; choices: DeviceChoices } | { kind: "lost"; choices: DeviceChoices } | { kind: "unavailable"; choices: DeviceChoices };

function isFinished(call: Call): boolean {
  return call.ended_at !== null || !["scheduled", "in_progress"].includes(call.status) || !["confirmed"].includes(call.booking_status);
}

/**
 * A booking's call at `/bookings/:bookingId/call` (the link in emails and invites): the lobby, the call,
 * a friendly page when the video server is down, and what comes after. All LiveKit code loads only here.
 * `review` renders the client's review form after a completed call (composed in `app/routes/call.tsx`).
 */
export function CallPage({ review }: { review?: (booking: CallBooking) => React.ReactNode } = {}) {
  const { bookingId = "" } = useParams();
  const queryClient = useQueryClient();
  const call = useQuery({ ...callQuery(bookingId), refetchInterval: (q) => (q.state.data && isFinished(q.state.data) ? false : 30_000) });
  const booking = useQuery(callBookingQuery(bookingId));
  const token = useJoinToken(bookingId);
  const [stage, setStage] = useState<Stage>({ kind: "lobby" });
  const now = useNow(1000);
  const other = booking.data ? (booking.data.viewer_role === "expert" ? booking.data.client : booking.data.expert) : null;
  useDocumentTitle(other ? `Call with ${other.full_name}` : "Call");

  const join = useCallback(
    (choices: DeviceChoices) =>
      token.mutate(undefined, {
        onSuccess: (granted) => setStage({ kind: "call", token: granted, choices }),
        onError: (error) => {
          if (error instanceof ApiProblem && error.code === "video_unavailable") setStage({ kind: "unavailable", choices });
          else void queryClient.invalidateQueries({ queryKey: callKeys.call(bookingId) });
        },
      }),
    [token, queryClient, bookingId],
  );

  const left = useCallback(
    (reason: LeftReason) => {
      void queryClient.invalidateQueries({ queryKey: callKeys.call(bookingId) });
      void queryClient.invalidateQueries({ queryKey: sharedKeys.booking(bookingId) });
      setStage((current) => {
        const choices = current.kind === "lobby" ? null : current.choices;
        if (reason === "lost" && choices) return { kind: "lost", choices };
        return { kind: "lobby", note: reason === "left" ? "You left the call. You can join again while it is open." : undefined };
      });
    },
    [queryClient, bookingId],
  );

  if (call.isError) return <ErrorState error={call.error} onRetry={() => void call.refetch()} />;
  if (booking.isError) return <ErrorState error={booking.error} onRetry={() => void booking.refetch()} />;
  if (call.isPending || booking.isPending) return <LoadingState label="Loading the call" />;
  const c = call.data;
  const b = booking.data;

  if (isFinished(c) && stage.kind !== "call") {
    return (
      <CallFrame title={`Call with ${other?.full_name ?? ""}`}>
        <AfterCall call={c} booking={b} review={review?.(b)} />
      </CallFrame>
    );
  }
  if (stage.kind === "call") {
    return (
      <div className="rounded-2xl bg-zinc-950 p-2 sm:p-4" data-testid="call">
        <h1 className="sr-only">Call with {other?.full_name}</h1>
        <InCall token={stage.token} call={c} booking={b} choices={stage.choices} onLeft={left} />
      </div>
    );
  }
  if (stage.kind === "unavailable") {
    return (
      <CallFrame title={`Call with ${other?.full_name ?? ""}`}>
        <VideoUnavailable retrying={token.isPending} onRetry={() => join(stage.choices)} />
      </CallFrame>
    );
  }
  if (stage.kind === "lost") {
    return (
      <CallFrame title={`Call with ${other?.full_name ?? ""}`}>
        <div role="alert" data-testid="connection-lost" className="mx-auto flex max-w-lg flex-col items-center gap-4 rounded-xl border bg-card p-8 text-center">
          <h2 className="text-xl font-semibold">The connection was lost</h2>
          <p className="text-muted-foreground">We tried to reconnect you but could not. Check your internet connection, then rejoin: the call is still open.</p>
          <Button onClick={() => join(stage.choices)} disabled={token.isPending}>
            {token.isPending ? "Rejoining…" : "Rejoin"}
          </Button>
        </div>
      </CallFrame>
    );
  }
  const window = joinState(c.opens_at, c.closes_at, now);
  const blocked = window.kind === "before" ? `Opens in ${formatCountdown(window.msLeft)}` : window.kind === "after" ? "This call is closed" : undefined;
  return (
    <CallFrame title={`Call with ${other?.full_name ?? ""}`}>
      <Lobby booking={b} joining={token.isPending} joinBlocked={blocked} onJoin={join}>
        {stage.note && <p className="text-sm text-muted-foreground">{stage.note}</p>}
        {token.isError && !(token.error instanceof ApiProblem && token.error.code === "video_unavailable") && (
          <p role="alert" className="text-sm text-red-700">
            {problemMessage(token.error)}
          </p>
        )}
      </Lobby>
    </CallFrame>
  );
}

function CallFrame({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
        <Link to="/" className="text-sm underline underline-offset-4">
          Back to ProcusMeet
        </Link>
      </div>
      {children}
    </div>
  );
}
