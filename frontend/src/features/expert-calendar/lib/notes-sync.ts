/**
 * Private notes that save themselves, without two tabs silently overwriting each other.
 *
 * Every save names the version it was based on (`base_version`); the API refuses a save over notes that
 * changed since with 409 `notes_changed` and the current notes. This reducer keeps what the person typed
 * (`draft`) apart from the last version known to be on the server (`base`), and on a conflict holds both
 * until the person keeps theirs, takes the other tab's, or keeps both.
 */

export interface NoteVersion {
  body: string;
  version: number;
  updated_at: string | null;
}

export type NotesStatus = "loading" | "idle" | "dirty" | "saving" | "saved" | "error" | "conflict";

export interface NotesState {
  status: NotesStatus;
  base: NoteVersion | null;
  draft: string;
  /** The body being saved right now (to tell whether typing went on meanwhile). */
  sending: string | null;
  /** On a conflict: the notes as another tab left them. */
  theirs: NoteVersion | null;
  error: string | null;
}

export type NotesAction =
  | { type: "loaded"; note: NoteVersion }
  | { type: "edited"; body: string }
  | { type: "save-started" }
  | { type: "saved"; note: NoteVersion }
  | { type: "conflicted"; current: NoteVersion }
  | { type: "failed"; message: string }
  | { type: "resolved"; keep: "mine" | "theirs" | "both" };

export const initialNotes: NotesState = { status: "loading", base: null, draft: "", sending: null, theirs: null, error: null };

/** "Keep both": the other tab's text, then this one's, so nothing is lost. */
export function bothVersions(theirs: string, mine: string): string {
  if (!theirs.trim()) return mine;
  if (!mine.trim() || mine === theirs) return theirs;
  return `${theirs.trimEnd()}\n\n${mine.trimStart()}`;
}

export function notesReducer(state: NotesState, action: NotesAction): NotesState {
  switch (action.type) {
    case "loaded": {
      if (state.status === "loading" || state.base === null) {
        return { ...state, status: "idle", base: action.note, draft: action.note.body, error: null };
      }
      if (action.note.version <= state.base.version || state.status === "saving") return state;
      const unsaved = state.draft !== state.base.body;
      if (!unsaved && state.status !== "conflict") {
        return { ...state, status: "idle", base: action.note, draft: action.note.body };
      }
      if (action.note.body === state.draft) return { ...state, status: "saved", base: action.note, theirs: null };
      return { ...state, status: "conflict", theirs: action.note };
    }
    case "edited":
      if (state.status === "conflict" || state.status === "loading") return { ...state, draft: action.body };
      return { ...state, draft: action.body, status: action.body === state.base?.body ? "idle" : "dirty", error: null };
    case "save-started":
      return { ...state, status: "saving", sending: state.draft };
    case "saved": {
      const typedMeanwhile = state.sending !== null && state.draft !== state.sending;
      return { ...state, status: typedMeanwhile ? "dirty" : "saved", base: action.note, sending: null, error: null };
    }
    case "conflicted":
      if (action.current.body === state.sending && state.draft === state.sending) {
        return { ...state, status: "saved", base: action.current, sending: null, theirs: null };
      }
      return { ...state, status: "conflict", sending: null, theirs: action.current };
    case "failed":
      return { ...state, status: "error", sending: null, error: action.message };
    case "resolved": {
      const theirs = state.theirs;
      if (!theirs) return state;
      if (action.keep === "theirs") return { ...state, status: "idle", base: theirs, draft: theirs.body, theirs: null };
      const draft = action.keep === "both" ? bothVersions(theirs.body, state.draft) : state.draft;
      return { ...state, status: draft === theirs.body ? "idle" : "dirty", base: theirs, draft, theirs: null };
    }
  }
}

/** The body of the next save, based on the version the draft was written against. */
export function saveRequest(state: NotesState): { body: string; base_version: number } | null {
  if (state.status !== "dirty" || state.base === null) return null;
  return { body: state.draft, base_version: state.base.version };
}

export function statusText(state: NotesState): string {
  switch (state.status) {
    case "loading":
      return "Loading notes…";
    case "dirty":
      return "Unsaved changes";
    case "saving":
      return "Saving…";
    case "saved":
    case "idle":
      return state.base?.updated_at ? "All changes saved" : "Nothing written yet";
    case "error":
      return `Not saved: ${state.error ?? "try again"}`;
    case "conflict":
      return "These notes were changed in another tab";
  }
}
