import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { AvatarUpload } from "./avatar-upload";

const STORAGE = "http://storage.test:9000/procus/avatar-uploads/u1/k1.png?X-Amz-Signature=abc";
const calls: string[] = [];
const cors = (extra: Record<string, string> = {}) => ({ "Access-Control-Allow-Origin": window.location.origin, ...extra });
let stored: { type: string | null; size: number; authorization: string | null } | null = null;
let avatarUrl: string | null = null;
let releaseStorage: () => void = () => {};

const server = setupServer(
  http.get("*/v1/me", () => {
    calls.push("me");
    return HttpResponse.json({ id: "u1", full_name: "Ada Lovelace", email: "ada@example.com", avatar_url: avatarUrl });
  }),
  http.post("*/v1/me/avatar/uploads", async ({ request }) => {
    calls.push(`start ${JSON.stringify(await request.json())}`);
    return HttpResponse.json(
      { upload_key: "avatar-uploads/u1/k1.png", upload_url: STORAGE, method: "PUT", headers: { "Content-Type": "image/png" }, expires_at: "2026-12-06T05:00:00Z", max_bytes: 2097152 },
      { status: 201 },
    );
  }),
  // The storage is another origin: the browser asks first (CORS), as it does of the real S3 server.
  http.options("http://storage.test:9000/*", () => new HttpResponse(null, { status: 204, headers: cors({ "Access-Control-Allow-Methods": "PUT", "Access-Control-Allow-Headers": "content-type" }) })),
  http.put("http://storage.test:9000/*", async ({ request }) => {
    const body = await request.arrayBuffer();
    stored = { type: request.headers.get("content-type"), size: body.byteLength, authorization: request.headers.get("authorization") };
    calls.push("storage");
    await new Promise<void>((resolve) => (releaseStorage = resolve));
    return new HttpResponse(null, { status: 200, headers: cors() });
  }),
  http.put("*/v1/me/avatar", async ({ request }) => {
    calls.push(`adopt ${JSON.stringify(await request.json())}`);
    avatarUrl = "http://storage.test:9000/procus/avatars/u1/new.png";
    return HttpResponse.json({ avatar_url: avatarUrl });
  }),
);

let lastXhr: XMLHttpRequest | null = null;

beforeAll(() => {
  server.listen({ onUnhandledFrame: "error" });
  // jsdom sends the body at once and reports no upload progress, so the test plays the browser's part:
  // it keeps the request it can then report progress on.
  const Intercepted = globalThis.XMLHttpRequest;
  vi.stubGlobal(
    "XMLHttpRequest",
    class extends Intercepted {
      constructor() {
        super();
        lastXhr = this;
      }
    },
  );
});

function reportProgress(loaded: number, total: number) {
  lastXhr?.upload.dispatchEvent(new ProgressEvent("progress", { lengthComputable: true, loaded, total }));
}
afterAll(() => {
  server.close();
  vi.unstubAllGlobals();
});
beforeEach(() => {
  calls.length = 0;
  stored = null;
  avatarUrl = null;
});

function renderPicker() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <AvatarUpload />
    </QueryClientProvider>,
  );
}

const png = (bytes: number) => new File([new Uint8Array(bytes)], "me.png", { type: "image/png" });

test("a file of the wrong type or over the limit is refused before anything is sent", async () => {
  renderPicker();
  await screen.findByRole("button", { name: "Upload a picture" });
  const user = userEvent.setup({ applyAccept: false });
  const picker = screen.getByLabelText("Picture file");

  await user.upload(picker, new File(["%PDF-1.7"], "cv.pdf", { type: "application/pdf" }));
  expect(await screen.findByText("Choose a PNG, JPEG or WebP image.")).toBeInTheDocument();

  await user.upload(picker, png(3 * 1024 * 1024));
  expect(await screen.findByText("The image is 3 MB; the limit is 2 MB.")).toBeInTheDocument();
  expect(calls).toEqual(["me"]);
});

test("the file goes straight to storage with its progress shown, then the API adopts it", async () => {
  renderPicker();
  await screen.findByRole("button", { name: "Upload a picture" });
  const user = userEvent.setup();

  await user.upload(screen.getByLabelText("Picture file"), png(300_000));

  const progress = await screen.findByRole("progressbar", { name: "Upload progress" });
  expect(screen.getByRole("button", { name: "Uploading…" })).toBeDisabled();
  await vi.waitFor(() => expect(calls).toContain("storage"));
  expect(screen.getByText("0%")).toBeInTheDocument();
  reportProgress(120_000, 300_000);
  expect(await screen.findByText("40%")).toBeInTheDocument();
  expect(progress).toHaveAttribute("value", "0.4");
  reportProgress(300_000, 300_000);
  expect(await screen.findByText("100%")).toBeInTheDocument();
  expect(calls.some((c) => c.startsWith("adopt"))).toBe(false); // adopted only once storage has answered
  releaseStorage();
  expect(await screen.findByRole("button", { name: "Change picture" })).toBeInTheDocument();
  expect(screen.queryByRole("progressbar")).not.toBeInTheDocument();
  expect(calls.slice(1, 4)).toEqual([`start {"content_type":"image/png","size":300000}`, "storage", `adopt {"upload_key":"avatar-uploads/u1/k1.png"}`]);
  expect(stored).toEqual({ type: "image/png", size: 300_000, authorization: null });
  expect(document.querySelector("img")).toHaveAttribute("src", avatarUrl);
});
