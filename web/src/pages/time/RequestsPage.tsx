// /time/requests — for the chef d'atelier and direction: pending time requests (corrections
// declared at finish and manual entries), measured vs declared, Approuver / Refuser (+ note).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { Sheet } from '../shopfloor/components';
import { formatDuration } from '../shopfloor/logic';
import type { TimeEntryView } from '../shopfloor/types';
import '../shopfloor/shopfloor.css';

const KEY = ['shop-floor', 'time-requests'];

function RequestCard({ r, onDecide, pending }: { r: TimeEntryView; onDecide: (approve: boolean) => void; pending: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <article className="sf-request" data-testid={`request-${r.id}`}>
      <div className="sf-row">
        <strong>{r.user_name}</strong>
        <span className="sf-chip">{t(`time.source.${r.source}`, { defaultValue: r.source })}</span>
        <span className="sf-chip">{t(`time.kind_${r.kind}`, { defaultValue: r.kind })}</span>
        {r.operation_id && (
          <Link to={`/operations/${r.operation_id}`} className="small mono">
            {r.job_number ?? `#${r.operation_id}`}
          </Link>
        )}
      </div>
      <div className="small">
        {f.dateTime(r.started_at)} → {r.ended_at ? f.dateTime(r.ended_at) : '…'}
      </div>
      <dl className="sf-kpis">
        <div>
          <dt>{t('time.measured')}</dt>
          <dd data-testid="request-measured">{formatDuration(r.measured_min)}</dd>
        </div>
        <div>
          <dt>{t('time.declared')}</dt>
          <dd data-testid="request-declared">{formatDuration(r.minutes)}</dd>
        </div>
      </dl>
      {r.reason && <p className="small">« {r.reason} »</p>}
      {r.warnings.length > 0 && (
        <ul className="sf-warnings small">
          {r.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
      <div className="sf-sheet-actions">
        <button type="button" className="btn sf-big sf-btn-start" disabled={pending} onClick={() => onDecide(true)} data-testid="request-approve">
          {t('time.approve')}
        </button>
        <button type="button" className="btn btn-secondary sf-big" disabled={pending} onClick={() => onDecide(false)} data-testid="request-refuse">
          {t('time.refuse')}
        </button>
      </div>
    </article>
  );
}

export function RequestsPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: KEY, queryFn: () => api<TimeEntryView[]>('/time/requests', { query: { status: 'en_attente' } }) });
  const [refusing, setRefusing] = useState<TimeEntryView | null>(null);
  const [note, setNote] = useState('');
  const m = useMutation({
    mutationFn: ({ id, approve, note }: { id: number; approve: boolean; note?: string }) =>
      api<TimeEntryView>(`/time/requests/${id}/decision`, { method: 'POST', body: { approve, ...(note ? { note } : {}) } }),
    onSuccess: () => {
      toast.show(t('time.decided'));
      setRefusing(null);
      setNote('');
      void qc.invalidateQueries({ queryKey: KEY });
    },
  });
  return (
    <div className="page sf-page" data-testid="time-requests">
      <PageHeader crumbs={[{ label: t('time.title'), to: '/time' }, { label: t('time.requests_title') }]} />
      {q.isError && <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />}
      {m.isError && !refusing && <ErrorBanner error={m.error} />}
      {q.isPending && <p className="muted">{t('common.loading')}</p>}
      {q.data && q.data.length === 0 && <p className="muted">{t('time.requests_empty')}</p>}
      <div className="sf-stack">
        {q.data?.map((r) => (
          <RequestCard
            key={r.id}
            r={r}
            pending={m.isPending}
            onDecide={(approve) => {
              if (approve) m.mutate({ id: r.id, approve: true });
              else {
                m.reset();
                setRefusing(r);
              }
            }}
          />
        ))}
      </div>
      {refusing && (
        <Sheet title={t('time.refuse_title')} onClose={() => setRefusing(null)} testId="refuse-sheet">
          <label className="sf-field">
            {t('time.decision_note')}
            <textarea className="input" rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-testid="refuse-note" />
          </label>
          {m.isError && <ErrorBanner error={m.error} />}
          <div className="sf-sheet-actions">
            <button type="button" className="btn btn-secondary sf-big" onClick={() => setRefusing(null)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="btn btn-danger sf-big" disabled={m.isPending} onClick={() => m.mutate({ id: refusing.id, approve: false, note: note.trim() || undefined })} data-testid="refuse-ok">
              {t('time.refuse')}
            </button>
          </div>
        </Sheet>
      )}
    </div>
  );
}
