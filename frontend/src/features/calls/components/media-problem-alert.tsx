import { AlertTriangle } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { MediaProblem } from "../lib/media-errors";

/** One device's failure: what happened, how to fix it, and a retry. */
export function MediaProblemAlert({ problem, onRetry, onTurnOff, turnOffLabel }: { problem: MediaProblem; onRetry: () => void; onTurnOff: () => void; turnOffLabel: string }) {
  return (
    <div role="alert" data-problem={problem.kind} className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
      <p className="flex items-center gap-2 font-medium">
        <AlertTriangle className="size-4 shrink-0" aria-hidden />
        {problem.title}
      </p>
      <p>{problem.howToFix}</p>
      <div className="flex flex-wrap gap-2">
        <Button size="sm" variant="outline" onClick={onRetry}>
          Try again
        </Button>
        <Button size="sm" variant="ghost" onClick={onTurnOff}>
          {turnOffLabel}
        </Button>
      </div>
    </div>
  );
}
