import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { ErrorState } from "@/components/page-state";
import { statusText } from "../lib/notes-sync";
import { useAutosavedNotes } from "./use-autosaved-notes";

/** Private notes: only this expert reads them. Two open tabs never silently overwrite each other. */
export function NotesEditor({ bookingId }: { bookingId: string }) {
  const { state, dispatch, loadError } = useAutosavedNotes(bookingId);
  if (loadError) return <ErrorState error={loadError} title="Notes could not be loaded" />;
  const conflict = state.status === "conflict" && state.theirs;
  return (
    <section aria-labelledby="notes-heading" className="flex flex-col gap-2">
      <div className="flex items-center justify-between gap-2">
        <Label id="notes-heading" htmlFor="notes" className="text-lg font-semibold">
          Private notes
        </Label>
        <span role="status" aria-live="polite" className="text-sm text-muted-foreground" data-testid="notes-status">
          {statusText(state)}
        </span>
      </div>
      <Textarea
        id="notes"
        rows={8}
        maxLength={20_000}
        disabled={state.status === "loading"}
        value={state.draft}
        onChange={(e) => dispatch({ type: "edited", body: e.target.value })}
        placeholder="Only you can see these notes."
      />
      {conflict && state.theirs && (
        <div role="alert" className="flex flex-col gap-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950">
          <p className="font-medium">These notes were changed in another tab or window. Nothing was overwritten: choose what to keep.</p>
          <div className="grid gap-3 md:grid-cols-2">
            <div>
              <p className="text-sm font-medium">Here (not saved)</p>
              <pre tabIndex={0} className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap rounded border bg-background p-2 text-sm" data-testid="notes-mine">
                {state.draft || "(empty)"}
              </pre>
            </div>
            <div>
              <p className="text-sm font-medium">The other version (saved)</p>
              <pre tabIndex={0} className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap rounded border bg-background p-2 text-sm" data-testid="notes-theirs">
                {state.theirs.body || "(empty)"}
              </pre>
            </div>
          </div>
          <div className="flex flex-wrap gap-2">
            <Button size="sm" onClick={() => dispatch({ type: "resolved", keep: "mine" })}>
              Keep mine
            </Button>
            <Button size="sm" variant="outline" onClick={() => dispatch({ type: "resolved", keep: "theirs" })}>
              Use the other version
            </Button>
            <Button size="sm" variant="outline" onClick={() => dispatch({ type: "resolved", keep: "both" })}>
              Keep both
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}
