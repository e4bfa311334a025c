import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { AVATAR_MAX_BYTES, avatarProblem, removeAvatar, uploadAvatar } from "@/api/avatar";
import { meQuery } from "@/lib/shared-queries";
import { Avatar } from "@/components/avatar";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { problemMessage } from "@/lib/problem";

/**
 * The signed-in user's picture, to choose or remove (the account page and the expert's profile set-up):
 * type and size are checked before anything is sent, the file goes straight to storage with its
 * progress shown, and the API adopts it.
 */
export function AvatarUpload() {
  const me = useQuery(meQuery());
  const queryClient = useQueryClient();
  const onChanged = () => void queryClient.invalidateQueries({ queryKey: meQuery().queryKey });
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const [progress, setProgress] = useState<number | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) => uploadAvatar(file, setProgress),
    onSuccess: (newUrl) => {
      setShown(newUrl);
      onChanged();
    },
    onSettled: () => setProgress(null),
  });
  const remove = useMutation({
    mutationFn: removeAvatar,
    onSuccess: () => {
      setShown(null);
      onChanged();
    },
  });
  const current = upload.isSuccess && shown ? shown : remove.isSuccess ? null : me.data?.avatar_url;
  const pick = (file: File | undefined) => {
    if (input.current) input.current.value = "";
    if (!file) return;
    const problem = avatarProblem(file);
    setInvalid(problem);
    if (problem) return;
    remove.reset();
    setProgress(0);
    upload.mutate(file);
  };
  const error = invalid ?? (upload.isError ? problemMessage(upload.error) : remove.isError ? problemMessage(remove.error) : null);
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
      <Avatar name={me.data?.full_name ?? ""} url={current} className="size-20 text-2xl" />
      <div className="flex min-w-0 flex-col gap-2">
        <div className="flex flex-wrap gap-2">
          <Button type="button" variant="outline" onClick={() => input.current?.click()} disabled={upload.isPending} aria-describedby={hintId}>
            {upload.isPending ? "Uploading…" : current ? "Change picture" : "Upload a picture"}
          </Button>
          {current && (
            <Button type="button" variant="ghost" onClick={() => remove.mutate()} disabled={remove.isPending || upload.isPending}>
              Remove
            </Button>
          )}
        </div>
        <input ref={input} type="file" accept="image/png,image/jpeg,image/webp" className="sr-only" tabIndex={-1} aria-label="Picture file" onChange={(e) => pick(e.target.files?.[0])} />
        <p id={hintId} className="text-xs text-muted-foreground">
          PNG, JPEG or WebP, up to {AVATAR_MAX_BYTES / 1024 / 1024} MB.
        </p>
        {progress !== null && (
          <div className="flex items-center gap-2 text-xs text-muted-foreground">
            <progress className="h-2 w-48 max-w-full" max={1} value={progress} aria-label="Upload progress" />
            <span aria-live="polite">{Math.round(progress * 100)}%</span>
          </div>
        )}
        {error && <Alert variant="destructive">{error}</Alert>}
      </div>
    </div>
  );
}
