import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { toast } from "sonner";
import { AvatarUpload } from "@/components/avatar-upload";
import { FormField, fieldProps } from "@/components/form-field";
import { ErrorState, LoadingState, PageHeader } from "@/components/page-state";
import { TimeZonePicker } from "@/components/time-zone-picker";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { useDocumentTitle } from "@/lib/document-title";
import { toProblem } from "@/lib/problem";
import { browserTimeZone, zoneLabel } from "@/lib/time";
import { myProfileQuery, useUpdateProfile, type ExpertProfile } from "../api/onboarding";

const MAX_HEADLINE = 160;
const MAX_BIO = 5000;
const LANGUAGE = /^[a-z]{2}$/;

export function parseLanguages(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((l) => l.trim().toLowerCase()).filter(Boolean))];
}

export function ProfilePage() {
  useDocumentTitle("Profile");
  const profile = useQuery(myProfileQuery());
  if (profile.isError) return <ErrorState error={profile.error} onRetry={() => void profile.refetch()} />;
  if (profile.isPending) return <LoadingState label="Loading your profile" />;
  return <ProfileForm profile={profile.data} />;
}

function ProfileForm({ profile }: { profile: ExpertProfile }) {
  const update = useUpdateProfile();
  const [headline, setHeadline] = useState(profile.headline);
  const [bio, setBio] = useState(profile.bio);
  const [languages, setLanguages] = useState(profile.languages.join(", "));
  const [zone, setZone] = useState(profile.time_zone);
  const codes = parseLanguages(languages);
  const badLanguage = codes.find((c) => !LANGUAGE.test(c));
  const errors = {
    headline: headline.trim().length === 0 ? "Add a headline: it is what clients see first." : headline.length > MAX_HEADLINE ? `At most ${MAX_HEADLINE} characters.` : undefined,
    bio: bio.length > MAX_BIO ? `At most ${MAX_BIO} characters.` : undefined,
    languages: badLanguage ? `“${badLanguage}” is not a two-letter language code (en, fr, yo…).` : codes.length > 20 ? "At most 20 languages." : undefined,
  };
  const problem = update.isError ? toProblem(update.error) : null;
  const detected = browserTimeZone();
  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    if (errors.headline || errors.bio || errors.languages) return;
    update.mutate({ headline: headline.trim(), bio, languages: codes, time_zone: zone }, { onSuccess: () => toast("Profile saved") });
  };
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title="Profile" description={<Link to="/expert/setup" className="underline underline-offset-4">Back to set-up</Link>} />
      <form className="flex flex-col gap-4" onSubmit={onSubmit} noValidate>
        {problem && <Alert variant="destructive">{problem.detail}</Alert>}
        <FormField id="headline" label={`Headline (${headline.length}/${MAX_HEADLINE})`} error={errors.headline ?? problem?.fieldError("headline")}>
          <Input {...fieldProps("headline", errors.headline)} value={headline} maxLength={MAX_HEADLINE} onChange={(e) => setHeadline(e.target.value)} placeholder="Tax adviser for freelancers" />
        </FormField>
        <FormField id="bio" label={`About you (${bio.length}/${MAX_BIO})`} error={errors.bio}>
          <Textarea {...fieldProps("bio", errors.bio)} value={bio} rows={6} onChange={(e) => setBio(e.target.value)} />
        </FormField>
        <FormField id="languages" label="Languages you hold calls in" hint="Two-letter codes separated by commas, e.g. en, yo, fr" error={errors.languages}>
          <Input {...fieldProps("languages", errors.languages, true)} value={languages} onChange={(e) => setLanguages(e.target.value)} />
        </FormField>
        <div className="flex flex-col gap-1.5">
          <span className="text-sm font-medium">Time zone of your hours</span>
          <TimeZonePicker value={zone} onChange={setZone} label="Time zone of your hours" />
          {zone !== detected && (
            <p className="text-sm text-amber-800">
              This browser is in {zoneLabel(detected)}.{" "}
              <button type="button" className="underline underline-offset-4" onClick={() => setZone(detected)}>
                Use it
              </button>
            </p>
          )}
        </div>
        <div className="flex flex-col gap-1.5">
          <span className="text-sm font-medium">Photo</span>
          <AvatarUpload />
        </div>
        <Button type="submit" disabled={update.isPending} className="self-start">
          {update.isPending ? "Saving…" : "Save profile"}
        </Button>
      </form>
    </div>
  );
}
