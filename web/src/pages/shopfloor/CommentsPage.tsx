// /shop-floor/comments — for méthode (method_sheets:update): the comments and improvement ideas
// operators sent from an operation (docs/shop-floor.md). Two tabs, open and handled; each card
// links to its operation; "Marquer traité" closes it with an optional note.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { Sheet } from './components';
import './shopfloor.css';

/** GET /shop-floor/comments rows. */
export interface ShopComment {
  id: number;
  operation_id: number;
  job_id: number;
  job_number: string;
  position: number;
  operation_label: string;
  kind: 'commentaire' | 'amelioration' | string;
  kind_label: string;
  text: string;
  status: 'ouvert' | 'traite' | string;
  status_label: string;
  user_login: string;
  handled_by: string | null;
  handled_at: string | null;
  handled_note: string | null;
  created_at: string;
}

export type CommentTab = 'ouvert' | 'traite';

const KEY = ['shop-floor', 'comments'];

function CommentCard({ c, canHandle, onHandle }: { c: ShopComment; canHandle: boolean; onHandle: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <article className="sf-request" data-testid={`comment-${c.id}`}>
      <div className="sf-row">
        <span className={`sf-chip ${c.kind === 'amelioration' ? 'sf-st-en_cours' : ''}`} data-testid="comment-kind">
          {c.kind_label}
        </span>
        <Link to={`/operations/${c.operation_id}`} className="mono" data-testid="comment-op-link">
          {t('followup.op_ref', { job: c.job_number, pos: c.position })}
        </Link>
        <span className="small">{c.operation_label}</span>
      </div>
      <p style={{ margin: 0, whiteSpace: 'pre-wrap' }} data-testid="comment-text">
        {c.text}
      </p>
      <div className="small sf-muted">{t('followup.by', { who: c.user_login, when: f.dateTime(c.created_at) })}</div>
      {c.status === 'traite' && (
        <div className="small" data-testid="comment-handled">
          <Icon name="check" size={14} /> {t('followup.handled_by', { who: c.handled_by ?? '—', when: c.handled_at ? f.dateTime(c.handled_at) : '—' })}
          {c.handled_note && <div className="sf-muted">« {c.handled_note} »</div>}
        </div>
      )}
      {c.status === 'ouvert' && canHandle && (
        <div>
          <button type="button" className="btn btn-secondary" onClick={onHandle} data-testid={`comment-handle-${c.id}`}>
            <Icon name="check" size={16} /> {t('followup.handle')}
          </button>
        </div>
      )}
    </article>
  );
}

export function CommentsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const toast = useToast();
  const qc = useQueryClient();
  const [tab, setTab] = useState<CommentTab>('ouvert');
  const [handling, setHandling] = useState<ShopComment | null>(null);
  const [note, setNote] = useState('');
  const q = useQuery({ queryKey: [...KEY, tab], queryFn: () => api<ShopComment[]>('/shop-floor/comments', { query: { status: tab } }) });
  const handle = useMutation({
    mutationFn: ({ id, note }: { id: number; note: string }) => api<ShopComment>(`/shop-floor/comments/${id}/handle`, { method: 'POST', body: note ? { note } : {} }),
    onSuccess: () => {
      toast.show(t('followup.handled_toast'));
      setHandling(null);
      setNote('');
      void qc.invalidateQueries({ queryKey: KEY });
    },
    onError: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
  const canHandle = can(me, 'method_sheets', 'update');
  const tabs: CommentTab[] = ['ouvert', 'traite'];
  return (
    <div className="page sf-page" data-testid="shop-comments">
      <PageHeader crumbs={[{ label: t('followup.comments_title') }]} />
      <p className="muted">{t('followup.comments_hint')}</p>
      <div className="sf-toolbar" role="tablist" aria-label={t('followup.comments_title')}>
        {tabs.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={`btn ${tab === k ? 'btn-primary' : 'btn-secondary'}`}
            onClick={() => setTab(k)}
            data-testid={`comments-tab-${k}`}
          >
            {k === 'ouvert' ? t('followup.tab_open') : t('followup.tab_handled')}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {q.isError && <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />}
        {q.isPending && <p className="muted">{t('common.loading')}</p>}
        {q.data && q.data.length === 0 && (
          <p className="muted" data-testid="comments-empty">
            {tab === 'ouvert' ? t('followup.comments_empty_open') : t('followup.comments_empty_handled')}
          </p>
        )}
        <div className="sf-stack" data-testid="comments-list">
          {q.data?.map((c) => (
            <CommentCard
              key={c.id}
              c={c}
              canHandle={canHandle}
              onHandle={() => {
                handle.reset();
                setNote('');
                setHandling(c);
              }}
            />
          ))}
        </div>
      </div>
      {handling && (
        <Sheet title={t('followup.handle_title')} onClose={() => setHandling(null)} testId="handle-sheet">
          <form
            className="sf-stack"
            onSubmit={(e) => {
              e.preventDefault();
              handle.mutate({ id: handling.id, note: note.trim() });
            }}
          >
            <p className="small" style={{ margin: 0 }}>
              <strong className="mono">{t('followup.op_ref', { job: handling.job_number, pos: handling.position })}</strong> — {handling.text}
            </p>
            <label className="sf-field">
              {t('followup.handle_note')}
              <textarea className="input" rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-testid="handle-note" />
            </label>
            {handle.error ? <ErrorBanner error={handle.error} /> : null}
            <div className="sf-sheet-actions">
              <button type="button" className="btn btn-secondary sf-big" onClick={() => setHandling(null)}>
                {t('common.cancel')}
              </button>
              <button type="submit" className="btn btn-primary sf-big" disabled={handle.isPending} data-testid="handle-ok">
                {t('followup.handle')}
              </button>
            </div>
          </form>
        </Sheet>
      )}
    </div>
  );
}
