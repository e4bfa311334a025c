import { useQuery } from "@tanstack/react-query";
import { format } from "date-fns";
import { useState } from "react";
import { ErrorState, LoadingState } from "@/components/page-state";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { problemMessage } from "@/lib/problem";
import { formatTime, groupByLocalDay, localDay, parseDay, startOfLocalDay, type HourCycle } from "@/lib/time";
import { freeSlotsQuery, usePropose, type BookingRequest } from "../api/requests";

/** Propose another time, picked from the expert's own free slots for the request's area. */
export function ProposeDialog({ request, zone, cycle, open, onOpenChange }: { request: BookingRequest; zone: string; cycle: HourCycle; open: boolean; onOpenChange: (open: boolean) => void }) {
  const today = localDay(new Date(), zone);
  const from = startOfLocalDay(today, zone).toISOString();
  const to = new Date(Date.parse(from) + 14 * 86_400_000).toISOString();
  const slots = useQuery({ ...freeSlotsQuery(request.area.id, from, to), enabled: open });
  const propose = usePropose();
  const [picked, setPicked] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const days = groupByLocalDay(slots.data?.slots ?? [], zone);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[90dvh] overflow-y-auto">
        <DialogHeader>
          <DialogTitle>Propose another time</DialogTitle>
          <DialogDescription>
            {request.client.full_name} asked for {format(parseDay(localDay(request.start, zone)), "EEE d MMM")}, {formatTime(request.start, zone, cycle)}. Pick one of your free times (your zone).
          </DialogDescription>
        </DialogHeader>
        {slots.isPending ? (
          <LoadingState rows={2} label="Loading your free times" />
        ) : slots.isError ? (
          <ErrorState error={slots.error} />
        ) : days.size === 0 ? (
          <p className="text-sm">You have no free times in the next 14 days.</p>
        ) : (
          <fieldset className="flex max-h-72 flex-col gap-3 overflow-y-auto">
            <legend className="sr-only">Free times</legend>
            {[...days.entries()].map(([day, instants]) => (
              <div key={day}>
                <p className="text-sm font-medium">{format(parseDay(day), "EEE d MMM")}</p>
                <div className="mt-1 flex flex-wrap gap-1">
                  {instants.map((slot) => (
                    <Button key={slot} type="button" size="sm" variant={picked === slot ? "default" : "outline"} aria-pressed={picked === slot} onClick={() => setPicked(slot)}>
                      {formatTime(slot, zone, cycle)}
                    </Button>
                  ))}
                </div>
              </div>
            ))}
          </fieldset>
        )}
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={`propose-reason-${request.id}`}>Message (optional)</Label>
          <Textarea id={`propose-reason-${request.id}`} rows={2} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        {propose.isError && <p className="text-sm text-red-700">{problemMessage(propose.error)}</p>}
        <DialogFooter>
          <Button
            disabled={!picked || propose.isPending}
            onClick={() => picked && propose.mutate({ id: request.id, start: picked, reason }, { onSuccess: () => onOpenChange(false) })}
          >
            {propose.isPending ? "Sending…" : "Send proposal"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
