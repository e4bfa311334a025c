import { useState } from "react";
import { cn } from "@/lib/utils";

/** Up to two capitals from a person's name, "?" when it has none. */
export function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0]?.toUpperCase())
      .join("") || "?"
  );
}

/** A person's picture (a presigned storage URL), or their initials when there is none or it fails. */
export function Avatar({ name, url, className }: { name: string; url?: string | null | undefined; className?: string }) {
  const [failed, setFailed] = useState(false);
  const box = cn("shrink-0 overflow-hidden rounded-full", className ?? "size-12");
  if (url && !failed) return <img src={url} alt="" className={cn(box, "object-cover")} onError={() => setFailed(true)} />;
  return (
    <span aria-hidden className={cn(box, "flex items-center justify-center bg-primary/10 font-semibold text-primary")}>
      {initials(name)}
    </span>
  );
}
