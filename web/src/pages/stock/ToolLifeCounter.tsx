// Tool life counter: used / limit (minutes or pieces) with a bar and an "épuisée" badge; add usage,
// or reset with a reason (POST /tools/{id}/life → the tool).
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field, FormErrorSummary, inputProps, useFormErrors } from '../../components/Form';
import { useToast } from '../../components/Toast';
import { lifeAddBody, lifeLevel, lifePercent } from './masterData';
import type { Tool } from './stock';
import '../../styles/masterData.css';

export function ToolLifeCounter({ tool, editable, onUpdated }: { tool: Tool; editable: boolean; onUpdated: (t: Tool) => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const form = useFormErrors(['add', 'reset', 'reason']);
  const [add, setAdd] = useState('');
  const [resetting, setResetting] = useState(false);
  const [reason, setReason] = useState('');
  const unit = tool.life_unit ? t(`life.units.${tool.life_unit}`, { defaultValue: tool.life_unit }) : '';
  const pct = lifePercent(tool.life_used, tool.life_limit);
  const level = lifeLevel(tool.life_used, tool.life_limit, tool.life_exhausted);
  const addMut = useMutation({
    mutationFn: () => api<Tool>(`/tools/${tool.id}/life`, { method: 'POST', body: lifeAddBody(add) }),
    onSuccess: (r) => {
      toast.show(t('life.added'));
      setAdd('');
      onUpdated(r);
    },
    onError: form.setError,
  });
  const resetMut = useMutation({
    mutationFn: () => api<Tool>(`/tools/${tool.id}/life`, { method: 'POST', body: { reset: true, reason: reason.trim() || null } }),
    onSuccess: (r) => {
      toast.show(t('life.reset_done'));
      setResetting(false);
      setReason('');
      onUpdated(r);
    },
  });
  return (
    <section className="life-counter" data-testid="tool-life" aria-label={t('life.title')}>
      <div className="life-head">
        <h3>{t('life.title')}</h3>
        {tool.life_limit != null ? (
          <span data-testid="life-used">{t('life.used', { used: tool.life_used, limit: tool.life_limit, unit })}</span>
        ) : (
          <span className="muted small">
            {tool.life_used > 0 ? `${tool.life_used} ${unit} · ` : ''}
            {t('life.no_limit')}
          </span>
        )}
        {tool.life_exhausted && (
          <span className="status-badge status-exhausted" data-testid="life-exhausted">
            {t('life.exhausted')}
          </span>
        )}
        <span className="muted small">{t('stock.regrinds', { n: tool.regrind_count })}</span>
      </div>
      {pct !== null && (
        <div className={`life-bar life-${level}`} role="progressbar" aria-valuemin={0} aria-valuemax={tool.life_limit ?? 0} aria-valuenow={tool.life_used} aria-label={t('life.title')}>
          <span style={{ width: `${pct}%` }} />
        </div>
      )}
      {editable && (
        <>
          <FormErrorSummary error={form.error} unmatched={form.unmatched} />
          <form
            className="life-actions"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              form.setError(null);
              addMut.mutate();
            }}
          >
            <Field name="add" label={`${t('life.add_label')}${unit ? ` (${unit})` : ''}`} error={form.errorFor('add')}>
              <input {...inputProps('add', form.errorFor('add'))} className="input" inputMode="numeric" value={add} onChange={(e) => setAdd(e.target.value)} />
            </Field>
            <button type="submit" className="btn btn-secondary" disabled={addMut.isPending || add.trim() === ''} data-testid="life-add">
              {t('life.add')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => setResetting(true)} disabled={tool.life_used === 0} data-testid="life-reset">
              {t('life.reset')}
            </button>
          </form>
        </>
      )}
      {resetting && (
        <ConfirmDialog
          title={t('life.reset')}
          confirmLabel={t('life.reset_confirm')}
          pending={resetMut.isPending}
          error={resetMut.error}
          onConfirm={() => resetMut.mutate()}
          onCancel={() => {
            setResetting(false);
            resetMut.reset();
          }}
          testId="life-reset-dialog"
        >
          <Field name="reason" label={t('life.reset_reason')}>
            <input {...inputProps('reason')} className="input" placeholder="réaffûtage" value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
        </ConfirmDialog>
      )}
    </section>
  );
}
