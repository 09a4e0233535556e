import { Suspense, type ReactNode } from 'react';

/** The one "Loading…" status the window shows while something it needs is on its way. */
export function Loading() {
  return (
    <p role="status" className="loading">
      Loading…
    </p>
  );
}

/** A lazily loaded part of a screen (the SMS form, the report panel), `Loading` until it is. */
export function LazyPart({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}
