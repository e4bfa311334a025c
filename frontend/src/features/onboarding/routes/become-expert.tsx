import { useState } from "react";
import { Navigate, useNavigate } from "react-router";
import { useSession } from "@/api/session";
import { PageHeader } from "@/components/page-state";
import { TimeZonePicker } from "@/components/time-zone-picker";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { useDocumentTitle } from "@/lib/document-title";
import { problemMessage } from "@/lib/problem";
import { browserTimeZone, zoneLabel } from "@/lib/time";
import { useBecomeExpert } from "../api/onboarding";

/** Any signed-in client can start offering paid consultations. */
export function BecomeExpertPage() {
  useDocumentTitle("Offer consultations");
  const user = useSession((s) => s.user);
  const navigate = useNavigate();
  const become = useBecomeExpert();
  const [zone, setZone] = useState(browserTimeZone());
  if (user?.role === "expert") return <Navigate to="/expert/setup" replace />;
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title="Offer consultations" description="Share what you know in paid 1:1 video calls. Clients book and pay upfront; you keep 90%." />
      <Card>
        <CardContent className="flex flex-col gap-4 pt-6">
          <ol className="list-decimal space-y-1 pl-5 text-sm">
            <li>Write your profile and add a photo.</li>
            <li>Describe a first area: topic, price and call length.</li>
            <li>Set your weekly hours and booking rules.</li>
            <li>An admin reviews your profile; once approved, clients can book you.</li>
          </ol>
          <div className="flex flex-col gap-2">
            <p className="text-sm font-medium">Your time zone</p>
            <p className="text-sm text-muted-foreground">
              We detected {zoneLabel(browserTimeZone())} from this browser. Your hours are written in this zone; change it if it is wrong.
            </p>
            <TimeZonePicker value={zone} onChange={setZone} label="Your time zone" />
          </div>
          {become.isError && <Alert variant="destructive">{problemMessage(become.error)}</Alert>}
          <Button onClick={() => become.mutate(zone, { onSuccess: () => navigate("/expert/setup") })} disabled={become.isPending || user?.role === "admin"}>
            {become.isPending ? "Starting…" : `Start as an expert in ${zone}`}
          </Button>
        </CardContent>
      </Card>
    </div>
  );
}
