import { useQuery } from "@tanstack/react-query";
import { CheckCircle2, Circle } from "lucide-react";
import { Link } from "react-router";
import { ErrorState, LoadingState, PageHeader } from "@/components/page-state";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { useDocumentTitle } from "@/lib/document-title";
import { problemMessage } from "@/lib/problem";
import { myAreasQuery, myHoursQuery, myProfileQuery, useUpdateProfile, type ExpertProfile } from "../api/onboarding";

function Step({ done, title, to, children }: { done: boolean; title: string; to: string; children: React.ReactNode }) {
  return (
    <li className="flex items-start gap-3 py-3">
      {done ? <CheckCircle2 className="mt-0.5 size-5 shrink-0 text-emerald-700" aria-label="Done" /> : <Circle className="mt-0.5 size-5 shrink-0 text-muted-foreground" aria-label="To do" />}
      <div className="flex min-w-0 flex-1 flex-col gap-1 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <p className="font-medium">{title}</p>
          <p className="text-sm text-muted-foreground">{children}</p>
        </div>
        <Button asChild variant={done ? "outline" : "default"} size="sm" className="self-start sm:self-auto">
          <Link to={to}>{done ? "Edit" : "Start"}</Link>
        </Button>
      </div>
    </li>
  );
}

function ApprovalCard({ profile }: { profile: ExpertProfile }) {
  const update = useUpdateProfile();
  const publish = (published: boolean) => update.mutate({ published });
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          Review
          {profile.approval === "pending" && <Badge variant="warning">Waiting for approval</Badge>}
          {profile.approval === "approved" && <Badge variant="success">Approved</Badge>}
          {profile.approval === "rejected" && <Badge variant="destructive">Changes needed</Badge>}
        </CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm">
        {profile.approval === "pending" && <p>An admin reviews every new expert. You can keep editing meanwhile; you will get a notification when it is decided.</p>}
        {profile.approval === "rejected" && (
          <Alert variant="destructive">
            <AlertTitle>Your profile was not approved</AlertTitle>
            <AlertDescription>
              <p>{profile.approval_reason || "No reason was given."}</p>
              <p className="mt-1">Change your profile or areas as asked; the admin sees the changes when they review it again.</p>
            </AlertDescription>
          </Alert>
        )}
        {profile.approval === "approved" && (
          <p>{profile.listed ? "Clients can find and book you." : "You are approved. Publish your profile to appear in the directory."}</p>
        )}
        <div className="flex flex-wrap items-center gap-3">
          <span>
            Profile is <strong>{profile.published ? "published" : "unpublished"}</strong>
            {profile.published && !profile.listed && " (it appears once approved)"}.
          </span>
          <Button size="sm" variant={profile.published ? "outline" : "default"} disabled={update.isPending} onClick={() => publish(!profile.published)}>
            {profile.published ? "Unpublish" : "Publish"}
          </Button>
        </div>
        {update.isError && <Alert variant="destructive">{problemMessage(update.error)}</Alert>}
      </CardContent>
    </Card>
  );
}

/** Onboarding: what is done, what is left, and where approval stands. */
export function SetupPage() {
  useDocumentTitle("Your expert profile");
  const profile = useQuery(myProfileQuery());
  const areas = useQuery(myAreasQuery());
  const hours = useQuery(myHoursQuery());
  if (profile.isError) return <ErrorState error={profile.error} onRetry={() => void profile.refetch()} />;
  if (profile.isPending) return <LoadingState label="Loading your profile" />;
  const p = profile.data;
  const activeAreas = (areas.data ?? []).filter((a) => a.active).length;
  const rules = hours.data?.rules?.length ?? 0;
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6">
      <PageHeader title="Your expert profile" description={`Hours in ${p.time_zone}.`} />
      <ApprovalCard profile={p} />
      <Card>
        <CardHeader>
          <CardTitle>Set up</CardTitle>
        </CardHeader>
        <CardContent>
          <ol className="divide-y" aria-label="Set-up steps">
            <Step done={p.headline.length > 0} title="Profile and photo" to="/expert/profile">
              {p.headline ? `“${p.headline}”` : "A headline, a short bio, your languages and a photo."}
            </Step>
            <Step done={activeAreas > 0} title="A first area" to="/expert/areas">
              {activeAreas ? `${activeAreas} area${activeAreas > 1 ? "s" : ""} on offer.` : "A topic with its price and call length."}
            </Step>
            <Step done={rules > 0} title="Weekly hours and booking settings" to="/expert/availability">
              {rules ? `${rules} weekly range${rules > 1 ? "s" : ""} set.` : "When clients may book you, notice, buffers."}
            </Step>
          </ol>
        </CardContent>
      </Card>
    </div>
  );
}
