import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { formatMoney } from "@/lib/money";
import { problemMessage } from "@/lib/problem";
import { useCancelBooking, type Booking } from "../api/bookings";

/** The refund this cancellation would bring, from the share the API computed for cancelling now. */
export function refundFor(booking: Booking): number | null {
  if (booking.cancel_refund_bps === null) return null;
  return Math.floor((booking.price.amount * booking.cancel_refund_bps) / 10_000);
}

export function CancelDialog({ booking }: { booking: Booking }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [key, setKey] = useState(() => crypto.randomUUID());
  const cancel = useCancelBooking(booking.id);
  const refund = refundFor(booking);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          setKey(crypto.randomUUID());
          cancel.reset();
        }
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline">Cancel booking</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Cancel this booking?</DialogTitle>
          <DialogDescription>The time is released and the expert is told.</DialogDescription>
        </DialogHeader>
        <p className="rounded-md bg-muted p-3 text-sm" data-testid="refund-preview">
          {refund === null
            ? "Nothing was paid, so there is nothing to refund."
            : refund === booking.price.amount
              ? `You get a full refund: ${formatMoney(refund, booking.price.currency)}.`
              : `You get ${formatMoney(refund, booking.price.currency)} back of ${formatMoney(booking.price.amount, booking.price.currency)} (a late cancellation).`}
        </p>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="cancel-reason">Reason (shown to the expert)</Label>
          <Textarea id="cancel-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </div>
        {cancel.isError && <Alert variant="destructive">{problemMessage(cancel.error)}</Alert>}
        <DialogFooter>
          <Button variant="outline" onClick={() => setOpen(false)}>
            Keep the booking
          </Button>
          <Button
            variant="destructive"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate({ reason: reason.trim() || "Cancelled by the client", idempotencyKey: key }, { onSuccess: () => setOpen(false) })}
          >
            {cancel.isPending ? "Cancelling…" : "Cancel booking"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
