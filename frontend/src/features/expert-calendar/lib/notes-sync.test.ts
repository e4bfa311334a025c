import { describe, expect, it } from "vitest";
import { bothVersions, initialNotes, notesReducer, saveRequest, type NotesAction, type NotesState } from "./notes-sync";

const v = (body: string, version: number) => ({ body, version, updated_at: version ? `2027-01-04T10:0${version}:00Z` : null });

function run(actions: NotesAction[], from: NotesState = initialNotes): NotesState {
  return actions.reduce(notesReducer, from);
}

describe("notes that save themselves", () => {
  it("saves edits based on the version they were written against", () => {
    const typed = run([{ type: "loaded", note: v("", 0) }, { type: "edited", body: "Agenda" }]);
    expect(typed.status).toBe("dirty");
    expect(saveRequest(typed)).toEqual({ body: "Agenda", base_version: 0 });
    const saved = run([{ type: "save-started" }, { type: "saved", note: v("Agenda", 1) }], typed);
    expect(saved.status).toBe("saved");
    expect(saveRequest(run([{ type: "edited", body: "Agenda, pricing" }], saved))).toEqual({
      body: "Agenda, pricing",
      base_version: 1,
    });
  });

  it("keeps typing that happened while a save was on its way", () => {
    const state = run([
      { type: "loaded", note: v("", 0) },
      { type: "edited", body: "A" },
      { type: "save-started" },
      { type: "edited", body: "AB" },
      { type: "saved", note: v("A", 1) },
    ]);
    expect(state.status).toBe("dirty");
    expect(saveRequest(state)).toEqual({ body: "AB", base_version: 1 });
  });

  it("on a stale save shows both versions and keeps mine on top of theirs", () => {
    const conflict = run([
      { type: "loaded", note: v("Start", 1) },
      { type: "edited", body: "Start + mine" },
      { type: "save-started" },
      { type: "conflicted", current: v("Start + theirs", 2) },
    ]);
    expect(conflict.status).toBe("conflict");
    expect(conflict.draft).toBe("Start + mine");
    expect(conflict.theirs?.body).toBe("Start + theirs");
    expect(saveRequest(conflict)).toBeNull();

    const mine = notesReducer(conflict, { type: "resolved", keep: "mine" });
    expect(saveRequest(mine)).toEqual({ body: "Start + mine", base_version: 2 });
    const theirs = notesReducer(conflict, { type: "resolved", keep: "theirs" });
    expect([theirs.status, theirs.draft, saveRequest(theirs)]).toEqual(["idle", "Start + theirs", null]);
    const both = notesReducer(conflict, { type: "resolved", keep: "both" });
    expect(saveRequest(both)).toEqual({ body: "Start + theirs\n\nStart + mine", base_version: 2 });
  });

  it("takes another tab's newer notes quietly when nothing here is unsaved, and flags them when something is", () => {
    const clean = run([{ type: "loaded", note: v("Old", 1) }, { type: "loaded", note: v("Newer", 2) }]);
    expect([clean.status, clean.draft]).toEqual(["idle", "Newer"]);
    const busy = run([
      { type: "loaded", note: v("Old", 1) },
      { type: "edited", body: "Old, edited here" },
      { type: "loaded", note: v("Newer", 2) },
    ]);
    expect([busy.status, busy.draft, busy.theirs?.body]).toEqual(["conflict", "Old, edited here", "Newer"]);
  });

  it("treats a 409 whose current text is what was sent as saved", () => {
    const state = run([
      { type: "loaded", note: v("", 0) },
      { type: "edited", body: "Same" },
      { type: "save-started" },
      { type: "conflicted", current: v("Same", 1) },
    ]);
    expect([state.status, state.base?.version]).toEqual(["saved", 1]);
  });

  it("keeps both texts without duplicating or adding blank notes", () => {
    expect(bothVersions("", "mine")).toBe("mine");
    expect(bothVersions("theirs", "  ")).toBe("theirs");
    expect(bothVersions("same", "same")).toBe("same");
  });
});
