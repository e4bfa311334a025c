import { useRef, useState } from "react";
import { Avatar } from "@/components/avatar";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { problemMessage } from "@/lib/problem";
import { avatarProblem, useRemoveAvatar, useUploadAvatar, type Me } from "../api/account";

/** Choose a picture: type and size are checked before anything is sent; the upload shows its progress. */
export function AvatarUpload({ me }: { me: Me }) {
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const upload = useUploadAvatar(setProgress);
  const remove = useRemoveAvatar();
  const pick = (file: File | undefined) => {
    if (!file) return;
    const problem = avatarProblem(file);
    setInvalid(problem);
    if (problem) return;
    setProgress(0);
    upload.mutate(file, { onSettled: () => setProgress(null) });
  };
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
      <Avatar name={me.full_name} url={me.avatar_url} className="size-20 text-2xl" />
      <div className="flex flex-col gap-2">
        <div className="flex flex-wrap gap-2">
          <Button type="button" variant="outline" onClick={() => input.current?.click()} disabled={upload.isPending}>
            {me.avatar_url ? "Change picture" : "Upload a picture"}
          </Button>
          {me.avatar_url && (
            <Button type="button" variant="ghost" onClick={() => remove.mutate()} disabled={remove.isPending}>
              Remove
            </Button>
          )}
        </div>
        <input ref={input} type="file" accept="image/png,image/jpeg,image/webp" className="sr-only" aria-label="Picture file" onChange={(e) => pick(e.target.files?.[0])} />
        <p className="text-xs text-muted-foreground">PNG, JPEG or WebP, up to 2 MB.</p>
        {progress !== null && (
          <progress className="h-2 w-48" max={1} value={progress} aria-label="Upload progress">
            {Math.round(progress * 100)}%
          </progress>
        )}
        {(invalid || upload.isError) && <Alert variant="destructive">{invalid ?? problemMessage(upload.error)}</Alert>}
      </div>
    </div>
  );
}
