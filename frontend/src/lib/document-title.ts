import { useEffect } from "react";

/** Set the tab's title for the page ("Title · ProcusMeet"). */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · ProcusMeet` : "ProcusMeet";
  }, [title]);
}
