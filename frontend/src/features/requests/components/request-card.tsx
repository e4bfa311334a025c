import { Clock } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { formatMoney } from "@/lib/money";
import { problemMessage } from "@/lib/problem";
import { formatDateTime, formatTime, zoneLabel, type HourCycle } from "@/lib/time";
import { useAccept, useDecline, type BookingRequest } from "../api/requests";
import { ProposeDialog } from "./propose-dialog";
import { timeLeft } from "./time-left";

export function RequestCard({ request, zone, cycle, now }: { request: BookingRequest; zone: string; cycle: HourCycle; now: Date }) {
  const accept = useAccept();
  const decline = useDecline();
  const [declining, setDeclining] = useState(false);
  const [proposing, setProposing] = useState(false);
  const [reason, setReason] = useState("");
  const paid = request.payment_status === "held";
  const clientZone = request.client.time_zone;
  const error = accept.error ?? decline.error;
  return (
    <li className="flex flex-col gap-3 rounded-lg border p-4" data-booking={request.id}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="font-semibold">{request.client.full_name}</p>
          <p className="text-sm text-muted-foreground">
            {request.area.title} · {request.duration_minutes} min · {formatMoney(request.price.amount, request.price.currency)}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Badge variant={paid ? "success" : "warning"}>{paid ? "Paid, held in escrow" : "Not paid yet"}</Badge>
          {request.answer_by && (
            <Badge variant="outline" className="gap-1">
              <Clock className="size-3" aria-hidden /> {timeLeft(request.answer_by, now)} to answer
            </Badge>
          )}
        </div>
      </div>
      <dl className="grid gap-1 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-muted-foreground">Your time ({zoneLabel(zone, new Date(request.start))})</dt>
          <dd className="font-medium">
            {formatDateTime(request.start, zone, cycle)}–{formatTime(request.end, zone, cycle)}
          </dd>
        </div>
        {clientZone !== zone && (
          <div>
            <dt className="text-muted-foreground">Their time ({zoneLabel(clientZone, new Date(request.start))})</dt>
            <dd>
              {formatDateTime(request.start, clientZone, cycle)}–{formatTime(request.end, clientZone, cycle)}
            </dd>
          </div>
        )}
      </dl>
      {request.note && <blockquote className="border-l-2 pl-3 text-sm italic">{request.note}</blockquote>}
      {error && <p className="text-sm text-red-700">{problemMessage(error)}</p>}
      <div className="flex flex-wrap gap-2">
        <Button size="sm" disabled={accept.isPending || !request.actions.includes("accept")} onClick={() => accept.mutate(request.id, { onSuccess: () => toast(`Accepted ${request.client.full_name}'s call`) })}>
          {accept.isPending ? "Accepting…" : "Accept"}
        </Button>
        <Button size="sm" variant="outline" disabled={!request.actions.includes("decline")} onClick={() => setDeclining(true)}>
          Decline
        </Button>
        <Button size="sm" variant="outline" disabled={!request.actions.includes("propose_reschedule")} onClick={() => setProposing(true)}>
          Propose another time
        </Button>
      </div>
      <Dialog open={declining} onOpenChange={setDeclining}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Decline {request.client.full_name}'s request</DialogTitle>
            <DialogDescription>They are refunded in full and see your reason.</DialogDescription>
          </DialogHeader>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={`decline-${request.id}`}>Reason</Label>
            <Textarea id={`decline-${request.id}`} rows={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <DialogFooter>
            <Button variant="destructive" disabled={!reason.trim() || decline.isPending} onClick={() => decline.mutate({ id: request.id, reason: reason.trim() }, { onSuccess: () => setDeclining(false) })}>
              {decline.isPending ? "Declining…" : "Decline request"}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
      {proposing && <ProposeDialog request={request} zone={zone} cycle={cycle} open={proposing} onOpenChange={setProposing} />}
    </li>
  );
}
