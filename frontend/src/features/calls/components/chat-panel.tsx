import { useChat } from "@livekit/components-react";
import { Send } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** Text chat during the call, over LiveKit's data channel; it lasts as long as the call. */
export function ChatPanel() {
  const { chatMessages, send, isSending } = useChat();
  const [draft, setDraft] = useState("");
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: "nearest" });
  }, [chatMessages.length]);
  return (
    <section aria-label="Chat" className="flex min-h-0 flex-col gap-2 rounded-xl border bg-card p-3 lg:h-full">
      <h2 className="text-sm font-semibold">Chat</h2>
      <ol ref={list} aria-label="Messages" aria-live="polite" className="flex max-h-64 min-h-16 flex-1 flex-col gap-1 overflow-y-auto text-sm lg:max-h-none">
        {chatMessages.length === 0 && <li className="text-muted-foreground">Messages you send here disappear when the call ends.</li>}
        {chatMessages.map((m) => (
          <li key={m.id} data-from={m.from?.isLocal ? "me" : "them"} className="break-words">
            <span className="font-medium">{m.from?.isLocal ? "You" : (m.from?.name ?? "Them")}: </span>
            {m.message}
          </li>
        ))}
      </ol>
      <form
        className="flex gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const text = draft.trim();
          if (!text) return;
          void send(text).then(() => setDraft(""));
        }}
      >
        <Input aria-label="Message" placeholder="Type a message" value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={2000} />
        <Button type="submit" size="icon" aria-label="Send message" disabled={isSending || !draft.trim()}>
          <Send aria-hidden />
        </Button>
      </form>
    </section>
  );
}
