/**
 * A Server-Sent Events stream opened with a single-use ticket.
 *
 * EventSource cannot send headers and, after an error, retries the same URL (a spent ticket) or gives
 * up for good. So on any error this closes the source, mints a new ticket and reconnects after a
 * backoff with jitter, resuming from the last event id it saw; it also reconnects at once when the tab
 * becomes visible again.
 *
 * Before its first event the stream resumes from `resumeFrom()`: the newest event the page already
 * knows about (e.g. read together with the page's data). Without it the server would start at the newest
 * event when the stream opens, skipping whatever arrived while the page was loading and minting its ticket.
 */
export interface StreamEvent {
  type: string;
  id: string;
  data: string;
}

export interface TicketedStreamOptions {
  /** The stream's URL without ticket (e.g. `/v1/notifications/stream`). */
  url: string;
  /** Event names to listen for (`message` is always included). */
  events: string[];
  mintTicket: () => Promise<string>;
  /** The id of the newest event the page already reflects, asked for once before the first connection. */
  resumeFrom?: () => Promise<string | null>;
  onEvent: (event: StreamEvent) => void;
  onStatus?: (status: "connecting" | "open" | "waiting") => void;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  eventSource?: new (url: string) => EventSource;
  documentRef?: Pick<Document, "addEventListener" | "removeEventListener" | "visibilityState">;
}

export function backoffDelay(attempt: number, base: number, max: number, random: () => number): number {
  const ceiling = Math.min(max, base * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export class TicketedStream {
  private source: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private lastEventId: string | null = null;
  private stopped = false;
  private connecting = false;
  private resumeKnown = false;
  private readonly options: Required<Omit<TicketedStreamOptions, "onStatus" | "resumeFrom">> &
    Pick<TicketedStreamOptions, "onStatus" | "resumeFrom">;

  constructor(options: TicketedStreamOptions) {
    this.options = {
      baseDelayMs: 1000,
      maxDelayMs: 30000,
      random: Math.random,
      ...options,
      eventSource: options.eventSource ?? globalThis.EventSource,
      documentRef: options.documentRef ?? globalThis.document,
    };
  }

  start(): void {
    this.stopped = false;
    this.options.documentRef.addEventListener("visibilitychange", this.onVisibility);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.options.documentRef.removeEventListener("visibilitychange", this.onVisibility);
    this.clearTimer();
    this.source?.close();
    this.source = null;
  }

  private readonly onVisibility = (): void => {
    if (this.options.documentRef.visibilityState === "visible" && !this.source && !this.connecting) {
      this.clearTimer();
      this.attempt = 0;
      void this.connect();
    }
  };

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.connecting = true;
    this.options.onStatus?.("connecting");
    let ticket: string;
    try {
      await this.learnResumePoint();
      ticket = await this.options.mintTicket();
    } catch {
      this.connecting = false;
      this.scheduleReconnect();
      return;
    }
    this.connecting = false;
    if (this.stopped) return;
    const params = new URLSearchParams({ ticket });
    if (this.lastEventId) params.set("last_event_id", this.lastEventId);
    const source = new this.options.eventSource(`${this.options.url}?${params.toString()}`);
    this.source = source;
    source.onopen = () => {
      this.attempt = 0;
      this.options.onStatus?.("open");
    };
    source.onerror = () => {
      source.close();
      if (this.source === source) this.source = null;
      this.scheduleReconnect();
    };
    for (const name of new Set(["message", ...this.options.events])) {
      source.addEventListener(name, (event) => {
        const message = event as MessageEvent<string>;
        if (message.lastEventId) this.lastEventId = message.lastEventId;
        this.options.onEvent({ type: name, id: message.lastEventId, data: message.data });
      });
    }
  }

  /** Once: where the page's knowledge ends. If it cannot be learnt, the server starts at the ticket's issue. */
  private async learnResumePoint(): Promise<void> {
    if (this.resumeKnown || !this.options.resumeFrom) return;
    const known = await this.options.resumeFrom().catch(() => null);
    this.resumeKnown = true;
    if (known && !this.lastEventId) this.lastEventId = known;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.timer) return;
    this.options.onStatus?.("waiting");
    const delay = backoffDelay(this.attempt, this.options.baseDelayMs, this.options.maxDelayMs, this.options.random);
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }
}
