import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { components } from "@/api/schema";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { formatMoney } from "@/lib/money";
import { useViewerClock } from "@/lib/preferences";
import { ApiProblem, problemMessage } from "@/lib/problem";
import { formatDateTime, formatTime, zoneLabel } from "@/lib/time";
import { cancellationPolicyQuery, useCreateBooking } from "../api/booking";
import { describePolicy } from "../api/policy";

type Area = components["schemas"]["PublicAreaOut"];

/**
 * Confirm a booking: what, when (in both zones), the price and the cancellation policy, an optional
 * note. The Idempotency-Key is made when the dialog opens (one attempt); "Try again" after a lost
 * answer reuses it. Success leaves for Paystack's checkout.
 */
export function BookingDialog({
  open,
  onOpenChange,
  expert,
  area,
  slot,
  onSlotTaken,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  expert: { id: string; full_name: string; time_zone: string };
  area: Area;
  slot: string;
  onSlotTaken: (message: string) => void;
}) {
  const { zone, cycle } = useViewerClock();
  const policy = useQuery(cancellationPolicyQuery());
  const create = useCreateBooking();
  const [note, setNote] = useState("");
  const [attemptKey] = useState(() => crypto.randomUUID());

  const confirm = () =>
    create.mutate(
      { body: { expert_id: expert.id, area_id: area.id, start: slot, note: note.trim() }, idempotencyKey: attemptKey },
      {
        onSuccess: ({ checkout }) => window.location.assign(checkout.authorization_url),
        onError: (error) => {
          if (error instanceof ApiProblem && (error.code === "slot_taken" || error.code === "slot_unavailable")) {
            onOpenChange(false);
            onSlotTaken(error.detail);
          }
        },
      },
    );

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Confirm your booking</DialogTitle>
          <DialogDescription>You pay now; the money is held until the consultation takes place.</DialogDescription>
        </DialogHeader>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-muted-foreground">Expert</dt>
          <dd className="font-medium">{expert.full_name}</dd>
          <dt className="text-muted-foreground">Consultation</dt>
          <dd>
            {area.title} · {area.duration_minutes} min
          </dd>
          <dt className="text-muted-foreground">When</dt>
          <dd>
            <span className="font-medium" data-testid="booking-when">
              {formatDateTime(slot, zone, cycle)}
            </span>{" "}
            <span className="text-muted-foreground">({zoneLabel(zone, new Date(slot))})</span>
            <br />
            <span className="text-muted-foreground">
              {formatTime(slot, expert.time_zone, cycle)} for {expert.full_name.split(" ")[0]} ({zoneLabel(expert.time_zone, new Date(slot))})
            </span>
          </dd>
          <dt className="text-muted-foreground">Price</dt>
          <dd className="font-semibold">{formatMoney(area.price.amount, area.price.currency)}</dd>
        </dl>
        <p className="rounded-md bg-muted p-3 text-sm">{policy.data ? describePolicy(policy.data) : "Loading the cancellation policy…"}</p>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="booking-note">Note for the expert (optional)</Label>
          <Textarea id="booking-note" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} placeholder="What would you like to discuss?" />
        </div>
        {create.isError && !(create.error instanceof ApiProblem && create.error.code.startsWith("slot_")) && (
          <Alert variant="destructive">{problemMessage(create.error)}</Alert>
        )}
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Back
          </Button>
          <Button onClick={confirm} disabled={create.isPending || create.isSuccess}>
            {create.isPending || create.isSuccess ? "Opening checkout…" : create.isError ? "Try again" : `Confirm and pay ${formatMoney(area.price.amount, area.price.currency)}`}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
