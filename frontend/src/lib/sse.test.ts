import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { backoffDelay, TicketedStream, type StreamEvent } from "./sse";

class FakeSource {
  static opened: FakeSource[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  private listeners = new Map<string, ((e: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {
    FakeSource.opened.push(this);
  }
  addEventListener(name: string, fn: (e: MessageEvent<string>) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
  }
  close() {
    this.closed = true;
  }
  emit(name: string, id: string, data: string) {
    for (const fn of this.listeners.get(name) ?? []) fn(new MessageEvent(name, { data, lastEventId: id }));
  }
}

class FakeDocument {
  visibilityState: DocumentVisibilityState = "visible";
  private fns: (() => void)[] = [];
  addEventListener(_: string, fn: () => void) {
    this.fns.push(fn);
  }
  removeEventListener(_: string, fn: () => void) {
    this.fns = this.fns.filter((f) => f !== fn);
  }
  show() {
    this.visibilityState = "visible";
    this.fns.forEach((f) => f());
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSource.opened = [];
});
afterEach(() => vi.useRealTimers());

function streamWith(events: StreamEvent[], doc = new FakeDocument(), resumeFrom?: () => Promise<string | null>) {
  let tickets = 0;
  const stream = new TicketedStream({
    url: "/v1/notifications/stream",
    events: ["notification"],
    mintTicket: async () => `ticket-${++tickets}`,
    resumeFrom,
    onEvent: (e) => events.push(e),
    baseDelayMs: 1000,
    maxDelayMs: 8000,
    random: () => 0.5,
    eventSource: FakeSource as unknown as new (url: string) => EventSource,
    documentRef: doc as unknown as Document,
  });
  return { stream, doc, tickets: () => tickets };
}

test("after an error the stream closes, mints a new ticket and resumes from the last event id", async () => {
  const events: StreamEvent[] = [];
  const { stream, tickets } = streamWith(events);
  stream.start();
  await vi.runOnlyPendingTimersAsync();
  const first = FakeSource.opened[0]!;
  expect(first.url).toBe("/v1/notifications/stream?ticket=ticket-1");
  first.emit("notification", "41", '{"kind":"booking.confirmed"}');
  first.onerror?.();
  expect(first.closed).toBe(true);
  await vi.advanceTimersByTimeAsync(1000);
  const second = FakeSource.opened[1]!;
  expect(second.url).toBe("/v1/notifications/stream?ticket=ticket-2&last_event_id=41");
  expect(tickets()).toBe(2);
  expect(events.map((e) => e.id)).toEqual(["41"]);
  stream.stop();
});

test("failures back off with jitter, and a tab becoming visible reconnects at once", async () => {
  const { stream, doc } = streamWith([]);
  stream.start();
  await vi.runOnlyPendingTimersAsync();
  FakeSource.opened[0]!.onerror?.(); // next try after 750 ms (1000 halved + jitter)
  await vi.advanceTimersByTimeAsync(750);
  FakeSource.opened[1]!.onerror?.(); // then after 1500 ms
  await vi.advanceTimersByTimeAsync(1000);
  expect(FakeSource.opened).toHaveLength(2);
  doc.show();
  await vi.advanceTimersByTimeAsync(0);
  expect(FakeSource.opened).toHaveLength(3);
  stream.stop();
});

test("backoff grows to its ceiling", () => {
  expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, 1000, 8000, () => 1))).toEqual([1000, 2000, 4000, 8000, 8000]);
  expect(backoffDelay(2, 1000, 8000, () => 0)).toBe(2000);
});

test("the first stream resumes from what the page already knows, so a notification written while it loaded is not skipped", async () => {
  let asked = 0;
  const { stream } = streamWith([], new FakeDocument(), async () => {
    asked += 1;
    return "7"; // the bell's list, read with the page, ended at seq 7
  });
  stream.start();
  await vi.runOnlyPendingTimersAsync();
  expect(FakeSource.opened[0]!.url).toBe("/v1/notifications/stream?ticket=ticket-1&last_event_id=7");
  FakeSource.opened[0]!.onerror?.(); // dropped before any event arrived
  await vi.advanceTimersByTimeAsync(1000);
  expect(FakeSource.opened[1]!.url).toBe("/v1/notifications/stream?ticket=ticket-2&last_event_id=7");
  FakeSource.opened[1]!.onopen?.();
  FakeSource.opened[1]!.emit("notification", "8", "{}");
  FakeSource.opened[1]!.onerror?.();
  await vi.advanceTimersByTimeAsync(1000);
  expect(FakeSource.opened[2]!.url).toBe("/v1/notifications/stream?ticket=ticket-3&last_event_id=8");
  expect(asked).toBe(1);
  stream.stop();
});

test("when the page's position cannot be read, the stream still opens (the server starts at the ticket)", async () => {
  const { stream } = streamWith([], new FakeDocument(), () => Promise.reject(new Error("offline")));
  stream.start();
  await vi.runOnlyPendingTimersAsync();
  expect(FakeSource.opened[0]!.url).toBe("/v1/notifications/stream?ticket=ticket-1");
  stream.stop();
});
