import { describe, expect, it } from "vitest";
import { mediaProblem } from "./media-errors";

const failure = (name: string) => new DOMException("failed", name);

describe("mediaProblem", () => {
  it("tells permission, busy device and missing device apart, each with a fix", () => {
    expect(mediaProblem(failure("NotAllowedError"), "camera").kind).toBe("permission");
    expect(mediaProblem(failure("NotReadableError"), "microphone").kind).toBe("in-use");
    expect(mediaProblem(failure("TrackStartError"), "microphone").kind).toBe("in-use");
    expect(mediaProblem(failure("NotFoundError"), "camera").kind).toBe("no-device");
    expect(mediaProblem(failure("OverconstrainedError"), "camera").title).toBe("No camera found");
    expect(mediaProblem(failure("NotAllowedError"), "camera").howToFix).toMatch(/allow the camera/);
  });

  it("keeps the browser's words for anything else", () => {
    const problem = mediaProblem(new Error("Something odd"), "camera and microphone");
    expect(problem.kind).toBe("other");
    expect(problem.howToFix).toContain("Something odd");
  });
});
