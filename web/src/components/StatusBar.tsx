// Odoo-style status bar: the record's states as a pipeline with the current one lit, and the
// transitions the server allows *for this caller* as buttons.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { CodeLabel, Transition } from '../api/types';
import { useErrorText } from './ErrorBanner';
import { useToast } from './Toast';

export interface StatusBarProps<R> {
  /** Record path relative to /api/v1, e.g. `/users/3`; transitions live at `<path>/transitions`. */
  recordPath: string;
  status: string;
  statusLabel: string;
  version: number;
  /** Every state in display order; defaults to just the current one. */
  states?: CodeLabel[];
  /** Called with the server's answer (the updated record) after a transition. */
  onChanged?: (record: R, to: Transition) => void;
  disabled?: boolean;
}

export function StatusBar<R>({ recordPath, status, statusLabel, version, states, onChanged, disabled }: StatusBarProps<R>) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const errorText = useErrorText();
  const transitions = useQuery({
    queryKey: ['transitions', recordPath, version],
    queryFn: () => api<Transition[]>(`${recordPath}/transitions`),
  });
  const move = useMutation({
    mutationFn: (to: Transition) => api<R>(`${recordPath}/transitions`, { method: 'POST', body: { to: to.to, version } }),
    onSuccess: (record, to) => {
      void qc.invalidateQueries({ queryKey: ['transitions', recordPath] });
      void qc.invalidateQueries({ queryKey: ['history'] });
      onChanged?.(record, to);
    },
    onError: (e) => toast.show(errorText(e), 'error'),
  });

  const pipeline = states?.length ? states : [{ code: status, label: statusLabel }];
  return (
    <div className="statusbar" data-testid="statusbar">
      <div className="statusbar-actions">
        {(transitions.data ?? []).map((tr) => (
          <button
            key={tr.to}
            type="button"
            className="btn btn-secondary"
            disabled={disabled || move.isPending}
            onClick={() => move.mutate(tr)}
            data-testid={`transition-${tr.to}`}
          >
            {move.isPending && move.variables?.to === tr.to ? t('status.changing') : tr.label}
          </button>
        ))}
      </div>
      <ol className="statusbar-steps" aria-label={t('status.title')}>
        {pipeline.map((s) => (
          <li key={s.code} className={s.code === status ? 'current' : ''} aria-current={s.code === status ? 'step' : undefined} data-testid={s.code === status ? 'status-current' : undefined}>
            {s.code === status ? statusLabel || s.label : s.label}
          </li>
        ))}
      </ol>
    </div>
  );
}
