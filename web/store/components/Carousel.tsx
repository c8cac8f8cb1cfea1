import { Children, type ReactNode, useEffect, useRef, useState } from "react";

/**
 * Slides that swipe by native scroll snapping and advance on their own every few seconds; light enough
 * for the first page, which loads no gesture or animation library.
 */
export function Carousel({ children, height, radius = 12, intervalMs = 4000, testId }: { children: ReactNode; height?: number; radius?: number; intervalMs?: number; testId?: string }) {
  const track = useRef<HTMLDivElement>(null);
  const [index, setIndex] = useState(0);
  const count = Children.count(children);
  useEffect(() => {
    if (count < 2 || intervalMs <= 0) return;
    const timer = setInterval(() => {
      const el = track.current;
      if (!el) return;
      const next = (Math.round(el.scrollLeft / el.clientWidth) + 1) % count;
      el.scrollTo({ left: next * el.clientWidth, behavior: "smooth" });
    }, intervalMs);
    return () => clearInterval(timer);
  }, [count, intervalMs]);
  return (
    <div style={{ position: "relative", borderRadius: radius, overflow: "hidden", height }} data-testid={testId}>
      <div
        ref={track}
        className="store-hscroll"
        onScroll={(e) => setIndex(Math.round(e.currentTarget.scrollLeft / e.currentTarget.clientWidth))}
        style={{ gap: 0, height: "100%", scrollSnapType: "x mandatory" }}
      >
        {Children.map(children, (child) => (
          <div style={{ flex: "0 0 100%", height: "100%", scrollSnapAlign: "start" }}>{child}</div>
        ))}
      </div>
      {count > 1 && (
        <div style={{ position: "absolute", bottom: 8, left: 0, right: 0, display: "flex", justifyContent: "center", gap: 4, pointerEvents: "none" }}>
          {Children.map(children, (_, i) => (
            <span style={{ width: i === index ? 12 : 5, height: 5, borderRadius: 3, background: i === index ? "#fff" : "rgba(255,255,255,.5)", transition: "width .2s" }} />
          ))}
        </div>
      )}
    </div>
  );
}
