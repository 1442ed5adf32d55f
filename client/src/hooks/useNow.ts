import { useEffect, useState } from "react";

/** The time now (ms), again every `everyMs`: for relative times ("in about 4 min") that move on. */
export function useNow(everyMs: number = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
