import { lazy, useCallback, useEffect, useState } from 'react';
import type { SettingsView } from '../../shared/ipc';
import type { Attempt, CheckReport } from '../../shared/session';
import { asSignInError, signet } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useCancellableCall } from '../hooks/use-cancellable-call';
import { Tabs } from '../components/Tabs';
import { AttemptsTable } from './AttemptsTable';
import { CheckReportView } from './CheckReportView';
import { LazyPart, Loading } from '../components/Loading';
import { BrandingReport } from '../branding/BrandingReport';
import { useT } from '../i18n';
import { Data, rich } from '../i18n/rich';

// The report's form, table and exports load only when IT opens its tab.
const ConnectionReportPanel = lazy(() => import('./ConnectionReportPanel'));

interface Download {
  url: string;
  filename: string;
}

/**
 * Diagnostics for IT, in two tabs: this run's requests, the tenant check and the export; and
 * the connection report. Both stay mounted, so switching tabs keeps a report and its form.
 */
export function DiagnosticsScreen({ view }: { view: SettingsView }) {
  const t = useT();
  const [tab, setTab] = useState('requests');
  const [reportOpened, setReportOpened] = useState(false);
  const [attempts, setAttempts] = useState<Attempt[] | null>(null);
  const [report, setReport] = useState<CheckReport | null>(null);
  const [download, setDownload] = useState<Download | null>(null);
  const call = useCancellableCall();
  const { busy: checking, error, setError } = call;

  const load = useCallback(() => {
    signet
      .attempts({})
      .then(setAttempts)
      .catch((err: unknown) => setError(asSignInError(err)));
  }, [setError]); // a useState setter: load stays the same function

  useEffect(load, [load]);
  // The object URL lives as long as its link.
  useEffect(
    () => () => {
      if (download) URL.revokeObjectURL(download.url);
    },
    [download],
  );

  async function check() {
    const checked = await call.run(t('diagnostics.checking'), () => signet.checkTenant({}), {
      settled: load,
    });
    if (checked) setReport(checked);
  }

  async function exportAs(format: 'json' | 'markdown') {
    setError(null);
    try {
      const file = await signet.exportDiagnostics({ format });
      const blob = new Blob([file.content], { type: file.mimeType });
      setDownload({ url: URL.createObjectURL(blob), filename: file.filename });
    } catch (err) {
      setError(asSignInError(err));
    }
  }

  const requests = (
    <div className="diagnostics">
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <div className="actions">
        <button type="button" className="primary" disabled={checking} onClick={() => void check()}>
          {t(checking ? 'diagnostics.checking' : 'diagnostics.checkTenant')}
        </button>
        <button type="button" className="secondary" onClick={load}>
          {t('diagnostics.reloadRequests')}
        </button>
      </div>
      {checking && (
        <p role="status" className="progress-row">
          <span className="spinner" aria-hidden="true" /> {t('diagnostics.checkingTenant')}
        </p>
      )}
      {report && <CheckReportView report={report} />}
      {attempts ? <AttemptsTable attempts={attempts} /> : <Loading />}
      <BrandingReport />
      <section className="export" aria-labelledby="export-heading">
        <h3 id="export-heading">{t('diagnostics.export.heading')}</h3>
        <p className="muted">{t('diagnostics.export.hint')}</p>
        <div className="actions">
          <button type="button" className="secondary" onClick={() => void exportAs('json')}>
            {t('diagnostics.export.json')}
          </button>
          <button type="button" className="secondary" onClick={() => void exportAs('markdown')}>
            {t('diagnostics.export.markdown')}
          </button>
        </div>
        {download && (
          <p role="status">
            <a href={download.url} download={download.filename} className="download">
              {rich(t, 'diagnostics.export.download', {
                0: () => <Data ltr>{download.filename}</Data>,
              })}
            </a>
          </p>
        )}
      </section>
    </div>
  );

  const reportPanel = reportOpened ? (
    <LazyPart>
      <ConnectionReportPanel view={view} onRun={load} />
    </LazyPart>
  ) : null;

  return (
    <Tabs
      label={t('diagnostics.tabs.label')}
      keepMounted
      items={[
        { id: 'requests', label: t('diagnostics.tab.requests'), panel: requests },
        { id: 'report', label: t('diagnostics.tab.report'), panel: reportPanel },
      ]}
      selected={tab}
      onSelect={(id) => {
        setTab(id);
        if (id === 'report') setReportOpened(true);
      }}
    />
  );
}
