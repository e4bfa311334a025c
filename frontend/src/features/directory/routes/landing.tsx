import { useQuery } from "@tanstack/react-query";
import { CalendarCheck, ShieldCheck, Video } from "lucide-react";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useDocumentTitle } from "@/lib/document-title";
import { categoriesQuery } from "../api/experts";

const STEPS = [
  { icon: CalendarCheck, title: "Pick a time", text: "Every expert's free times, shown in your own time zone." },
  { icon: ShieldCheck, title: "Pay safely", text: "Your payment is held until the consultation happens." },
  { icon: Video, title: "Meet by video", text: "Join from your browser; nothing to install." },
];

export function LandingPage() {
  useDocumentTitle("");
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const categories = useQuery(categoriesQuery());
  return (
    <div className="flex flex-col gap-12">
      <section className="flex flex-col items-center gap-5 py-6 text-center sm:py-12">
        <h1 className="max-w-2xl text-3xl font-bold tracking-tight sm:text-5xl">Expert advice, one video call away</h1>
        <p className="max-w-xl text-lg text-muted-foreground">Find the right expert, book a slot that suits you, and talk face to face.</p>
        <form
          role="search"
          className="flex w-full max-w-xl flex-col gap-2 sm:flex-row"
          onSubmit={(e) => {
            e.preventDefault();
            navigate(q.trim() ? `/experts?q=${encodeURIComponent(q.trim())}` : "/experts");
          }}
        >
          <label htmlFor="landing-q" className="sr-only">
            What do you need help with?
          </label>
          <Input id="landing-q" type="search" className="h-12 text-base" placeholder="What do you need help with?" value={q} onChange={(e) => setQ(e.target.value)} />
          <Button type="submit" size="lg" className="h-12">
            Find an expert
          </Button>
        </form>
        {categories.data && categories.data.length > 0 && (
          <nav aria-label="Categories" className="flex max-w-2xl flex-wrap justify-center gap-2">
            {categories.data.map((c) => (
              <Link key={c.slug} to={`/experts?category=${encodeURIComponent(c.slug)}`} className="rounded-full border px-3 py-1 text-sm hover:bg-accent">
                {c.name}
              </Link>
            ))}
          </nav>
        )}
      </section>
      <section aria-labelledby="how" className="flex flex-col gap-4">
        <h2 id="how" className="text-center text-xl font-semibold">
          How it works
        </h2>
        <ol className="grid gap-4 sm:grid-cols-3">
          {STEPS.map(({ icon: Icon, title, text }) => (
            <li key={title} className="flex flex-col gap-2 rounded-xl border p-5">
              <Icon className="size-6 text-primary" aria-hidden />
              <h3 className="font-semibold">{title}</h3>
              <p className="text-sm text-muted-foreground">{text}</p>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
