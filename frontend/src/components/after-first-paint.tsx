import type * as React from "react";
import { useEffect, useState } from "react";

/**
 * Shows `fallback` until the page has painted once, then `children`: what sits below a page's main
 * content (a calendar, filters, reviews) waits one frame, so the main content (the page's Largest
 * Contentful Paint) is painted without waiting for the rest to render.
 */
export function AfterFirstPaint({ children, fallback = null }: { children: React.ReactNode; fallback?: React.ReactNode }) {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The frame callback runs before the paint; the timeout it starts runs after it.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setPainted(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return painted ? children : fallback;
}
