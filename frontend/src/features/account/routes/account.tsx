import { useQuery } from "@tanstack/react-query";
import { AvatarUpload } from "@/components/avatar-upload";
import { ClockSettings } from "@/components/clock-settings";
import { ErrorState, LoadingState, PageHeader } from "@/components/page-state";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useDocumentTitle } from "@/lib/document-title";
import { meQuery } from "@/lib/shared-queries";
import { ProfileForm } from "../components/profile-form";
import { SessionsList } from "../components/sessions-list";

export function AccountPage() {
  useDocumentTitle("Your account");
  const me = useQuery(meQuery());
  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-6">
      <PageHeader title="Your account" />
      {me.isPending && <LoadingState label="Loading your account" />}
      {me.isError && <ErrorState error={me.error} onRetry={() => void me.refetch()} />}
      {me.data && (
        <>
          <Card>
            <CardHeader>
              <CardTitle>Profile</CardTitle>
            </CardHeader>
            <CardContent className="flex flex-col gap-6">
              <AvatarUpload />
              <ProfileForm key={me.data.id} me={me.data} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>How times are shown</CardTitle>
              <CardDescription>Remembered in this browser and used on every page.</CardDescription>
            </CardHeader>
            <CardContent>
              <ClockSettings />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Where you are signed in</CardTitle>
            </CardHeader>
            <CardContent>
              <SessionsList />
            </CardContent>
          </Card>
        </>
      )}
    </div>
  );
}
