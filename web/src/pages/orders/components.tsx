// Small pieces shared by the order, job and method sheet screens: status and priority badges, the
// confidence dot, a status bar for records whose transitions come with the record
// (`transitions: [{status, label}]`, POST <record>/status), and a PDF download button.
import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, downloadFile } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner, useErrorText } from '../../components/ErrorBanner';
import { Field, inputProps } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { useToast } from '../../components/Toast';
import { confidenceLevel } from './logic';
import type { Priority } from './types';

export function OrderStatusBadge({ status, label }: { status: string; label?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`status-badge os-${status}`} data-testid="order-status-badge">
      {label || t(`orders.statuses.${status}`, { defaultValue: status })}
    </span>
  );
}

export function JobStatusBadge({ status, label }: { status: string; label?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`status-badge js-${status}`} data-testid="job-status-badge">
      {label || t(`jobs.statuses.${status}`, { defaultValue: status })}
    </span>
  );
}

export function PriorityBadge({ priority, label }: { priority: Priority | string; label?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge prio-${priority}`} data-testid="priority-badge" data-priority={priority}>
      {label || t(`orders.priorities.${priority}`, { defaultValue: priority })}
    </span>
  );
}

export function ConfidenceDot({ confidence }: { confidence: number | null | undefined }) {
  const { t } = useTranslation();
  const level = confidenceLevel(confidence);
  const text = level === 'none' ? t('orders.po.confidence_none') : t('orders.po.confidence', { pct: Math.round((confidence ?? 0) * 100) });
  return (
    <span className={`o-conf o-conf-${level}`} data-testid="conf" data-level={level} title={text}>
      <span className="o-conf-dot" aria-hidden="true" />
      {level === 'none' ? '—' : `${Math.round((confidence ?? 0) * 100)} %`}
      <span className="sr-only">{text}</span>
    </span>
  );
}

/** Downloads a file of the API with the token (PDFs), showing the error next to the button. */
export function DownloadButton({ path, fallbackName, label, testId, icon = 'download' }: { path: string; fallbackName: string; label: string; testId: string; icon?: string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadFile(path, {}, fallbackName);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="btn btn-secondary" onClick={() => void go()} disabled={busy} data-testid={testId}>
        <Icon name={icon} size={16} />
        <span className="btn-label">{busy ? t('orders.downloading') : label}</span>
      </button>
      {error ? <ErrorBanner error={error} className="o-inline-error" /> : null}
    </>
  );
}

export interface StatusMove {
  status: string;
  label: string;
}

/**
 * Status bar of a record that carries its allowed transitions: each transition is a button, the
 * pipeline shows where the record is. `confirmFor` returns the dialog text for transitions that ask
 * first (with an optional comment), or null.
 */
export function RecordStatusBar<R>({
  path,
  status,
  statusLabel,
  pipeline,
  transitions,
  disabled,
  toneFor,
  confirmFor,
  withComment = false,
  onChanged,
  labelFor,
}: {
  /** POST `${path}/status` with `{status, comment?}`. */
  path: string;
  status: string;
  statusLabel: string;
  pipeline: string[];
  transitions: StatusMove[];
  disabled?: boolean;
  toneFor: (to: string) => 'primary' | 'secondary' | 'danger';
  confirmFor: (to: string) => { title: string; text: ReactNode; danger?: boolean } | null;
  withComment?: boolean;
  onChanged: (r: R) => void;
  labelFor: (s: string) => string;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const [asking, setAsking] = useState<StatusMove | null>(null);
  const [comment, setComment] = useState('');
  const move = useMutation({
    mutationFn: ({ to, comment: c }: { to: StatusMove; comment: string }) =>
      api<R>(`${path}/status`, { method: 'POST', body: c.trim() ? { status: to.status, comment: c.trim() } : { status: to.status } }),
    onSuccess: (r, v) => {
      toast.show(t('orders.status_changed', { label: v.to.label }));
      setAsking(null);
      setComment('');
      onChanged(r);
    },
    onError: (e) => {
      if (!asking) toast.show(errorText(e), 'error');
    },
  });
  const click = (tr: StatusMove) => {
    if (confirmFor(tr.status)) {
      move.reset();
      setAsking(tr);
    } else move.mutate({ to: tr, comment: '' });
  };
  const confirm = asking ? confirmFor(asking.status) : null;
  return (
    <div className="statusbar" data-testid="statusbar">
      <div className="statusbar-actions">
        {transitions.map((tr) => {
          const tone = toneFor(tr.status);
          return (
            <button
              key={tr.status}
              type="button"
              className={`btn btn-${tone === 'danger' ? 'danger-outline' : tone}`}
              disabled={disabled || move.isPending}
              onClick={() => click(tr)}
              data-testid={`transition-${tr.status}`}
            >
              {move.isPending && move.variables?.to.status === tr.status ? t('status.changing') : tr.label}
            </button>
          );
        })}
      </div>
      <ol className="statusbar-steps" aria-label={t('status.title')}>
        {pipeline.map((s) => (
          <li key={s} className={s === status ? 'current' : ''} aria-current={s === status ? 'step' : undefined} data-testid={s === status ? 'status-current' : undefined}>
            {s === status ? statusLabel || labelFor(s) : labelFor(s)}
          </li>
        ))}
      </ol>
      {asking && confirm && (
        <ConfirmDialog
          title={confirm.title}
          confirmLabel={asking.label}
          danger={confirm.danger}
          pending={move.isPending}
          error={move.error}
          onConfirm={() => move.mutate({ to: asking, comment })}
          onCancel={() => {
            setAsking(null);
            setComment('');
            move.reset();
          }}
          testId="transition-dialog"
        >
          <div className="o-confirm-text">{confirm.text}</div>
          {withComment && (
            <Field name="comment" label={t('orders.comment')}>
              <textarea {...inputProps('comment')} className="input" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
            </Field>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}

/** A short list of server warnings (orange banner). */
export function Warnings({ items, testId = 'warnings' }: { items: readonly string[]; testId?: string }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid={testId}>
      <Icon name="alert" size={20} />
      <div className="banner-body">
        <strong>{t('orders.warnings', { count: items.length })}</strong>
        <ul className="banner-list">
          {items.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** Labels and value display for the history of orders and jobs (status codes → their labels). */
export function useHistoryDisplay(kind: 'orders' | 'jobs') {
  const { t, i18n } = useTranslation();
  const keys = Object.keys((i18n.getResource(i18n.language, 'translation', 'orders.history_fields') as Record<string, string> | undefined) ?? {});
  const fieldLabels = Object.fromEntries(keys.map((k) => [k, t(`orders.history_fields.${k}`)]));
  const formatValue = (field: string, value: unknown): string | undefined => {
    if (typeof value !== 'string') return undefined;
    if (field === 'status') return t(`${kind}.statuses.${value}`, { defaultValue: value });
    if (field === 'priority') return t(`orders.priorities.${value}`, { defaultValue: value });
    return undefined;
  };
  return { fieldLabels, formatValue };
}
