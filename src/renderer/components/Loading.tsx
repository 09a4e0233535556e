import { Suspense, type ReactNode } from 'react';
import { useT } from '../i18n';

/** The one "Loading…" status the window shows while something it needs is on its way. */
export function Loading() {
  const t = useT();
  return (
    <p role="status" className="loading">
      {t('shell.loading')}
    </p>
  );
}

/** A lazily loaded part of a screen (the SMS form, the report panel), `Loading` until it is. */
export function LazyPart({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}
