// A small modal asking to confirm a destructive action (delete, release, reset); optional
// content (e.g. a reason input) and the server's error shown inside.
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from './ErrorBanner';
import '../styles/masterData.css';

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger = false,
  pending = false,
  error,
  onConfirm,
  onCancel,
  testId = 'confirm-dialog',
}: {
  title: string;
  children?: ReactNode;
  confirmLabel?: string;
  danger?: boolean;
  pending?: boolean;
  error?: unknown;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const cancel = useRef(onCancel);
  useEffect(() => {
    cancel.current = onCancel;
  });
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, textarea, select, button.btn-confirm')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') cancel.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="md-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div className="md-dialog panel" role="dialog" aria-modal="true" aria-label={title} data-testid={testId} ref={ref}>
        <h3 className="panel-title">{title}</h3>
        {children}
        {error ? <ErrorBanner error={error} /> : null}
        <div className="md-dialog-actions">
          <button type="button" className="btn btn-secondary" onClick={onCancel} data-testid="confirm-cancel">
            {t('confirm.no')}
          </button>
          <button
            type="button"
            className={`btn btn-confirm ${danger ? 'btn-danger' : 'btn-primary'}`}
            disabled={pending}
            onClick={onConfirm}
            data-testid="confirm-ok"
          >
            {confirmLabel ?? t('confirm.yes')}
          </button>
        </div>
      </div>
    </div>
  );
}
