import { useQuery } from "@tanstack/react-query";
import { useEffect, useReducer } from "react";
import { toProblem } from "@/lib/problem";
import { notesQuery, useSaveNotes } from "../api/calendar";
import { initialNotes, notesReducer, saveRequest, type NoteVersion } from "../lib/notes-sync";

const SAVE_AFTER_MS = 800;

function isNote(value: unknown): value is NoteVersion {
  return typeof value === "object" && value !== null && "body" in value && "version" in value;
}

/** Notes that save themselves a moment after typing stops; a stale save becomes a visible conflict. */
export function useAutosavedNotes(bookingId: string) {
  const [state, dispatch] = useReducer(notesReducer, initialNotes);
  const server = useQuery(notesQuery(bookingId));
  const save = useSaveNotes(bookingId);
  useEffect(() => {
    if (server.data) dispatch({ type: "loaded", note: server.data });
  }, [server.data]);
  const request = saveRequest(state);
  useEffect(() => {
    if (!request) return;
    const timer = window.setTimeout(() => {
      dispatch({ type: "save-started" });
      save.mutate(request, {
        onSuccess: (note) => dispatch({ type: "saved", note }),
        onError: (error) => {
          const problem = toProblem(error);
          const current = problem.body.current;
          if (problem.code === "notes_changed" && isNote(current)) dispatch({ type: "conflicted", current });
          else dispatch({ type: "failed", message: problem.detail });
        },
      });
    }, SAVE_AFTER_MS);
    return () => window.clearTimeout(timer);
    // Only a new draft or a new base restarts the wait (the mutation object changes on every render).
  }, [request?.body, request?.base_version]);
  return { state, dispatch, loadError: server.error };
}
