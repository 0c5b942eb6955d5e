// Minimum stock of full bars per grade / shape / diameter (GET /material-stock/alerts?below_only=false):
// create, edit in place, delete with confirmation.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ListResponse } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormErrorSummary, useFormErrors } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { can } from '../../modules';
import { minimumBody, minimumForm, SHAPES, type MinimumAlert, type MinimumForm } from './masterData';
import type { Grade } from './stock';
import '../../styles/masterData.css';

const FIELDS = ['grade_id', 'shape', 'diameter_mm', 'min_quantity', 'version'] as const;

function useGrades() {
  return useQuery({ queryKey: ['/materials', 'all'], queryFn: () => api<ListResponse<Grade>>('/materials', { query: { per_page: 500 } }) });
}

/** One row being created or edited: the four inputs as table cells. */
function MinimumEditRow({ original, onDone, onCancel }: { original?: MinimumAlert; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const grades = useGrades();
  const form = useFormErrors(FIELDS);
  const [v, setV] = useState<MinimumForm>(minimumForm(original));
  const set = (k: keyof MinimumForm, value: string) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(k);
  };
  const save = useMutation({
    mutationFn: () =>
      original
        ? api<MinimumAlert>(`/material-minimums/${original.minimum_id}`, { method: 'PATCH', body: minimumBody(v, original.version) })
        : api<MinimumAlert>('/material-minimums', { method: 'POST', body: minimumBody(v) }),
    onSuccess: () => {
      toast.show(original ? t('minimums.saved') : t('minimums.created'));
      onDone();
    },
    onError: form.setError,
  });
  const err = (k: string) => form.errorFor(k);
  const cellErr = (k: string) =>
    err(k) ? (
      <div className="field-error" data-testid={`error-${k}`}>
        {err(k)}
      </div>
    ) : null;
  return (
    <>
      <tr className="cutting-edit" data-testid="minimum-edit-row">
        <td>
          <select className="input" aria-label={t('minimums.grade')} aria-invalid={!!err('grade_id') || undefined} value={v.grade_id} onChange={(e) => set('grade_id', e.target.value)} data-testid="input-grade_id">
            <option value="">—</option>
            {grades.data?.items.map((g) => (
              <option key={g.id} value={g.id}>
                {g.code} — {g.afnor}
              </option>
            ))}
          </select>
          {cellErr('grade_id')}
        </td>
        <td>
          <select className="input" aria-label={t('minimums.shape')} value={v.shape} onChange={(e) => set('shape', e.target.value)} data-testid="input-shape">
            {SHAPES.map((s) => (
              <option key={s} value={s}>
                {t(`stock.shapes.${s}`)}
              </option>
            ))}
          </select>
          {cellErr('shape')}
        </td>
        <td>
          <input className="input" aria-label={t('minimums.diameter')} aria-invalid={!!err('diameter_mm') || undefined} inputMode="decimal" value={v.diameter_mm} onChange={(e) => set('diameter_mm', e.target.value)} data-testid="input-diameter_mm" />
          {cellErr('diameter_mm')}
        </td>
        <td>
          <input className="input" aria-label={t('minimums.min_quantity')} aria-invalid={!!err('min_quantity') || undefined} inputMode="numeric" value={v.min_quantity} onChange={(e) => set('min_quantity', e.target.value)} data-testid="input-min_quantity" />
          {cellErr('min_quantity')}
        </td>
        <td colSpan={4} className="actions">
          <div className="md-inline-actions">
            <button type="button" className="btn btn-primary btn-sm" disabled={save.isPending} onClick={() => { form.setError(null); save.mutate(); }} data-testid="save-minimum">
              {t('common.save')}
            </button>
            <button type="button" className="btn btn-secondary btn-sm" onClick={onCancel}>
              {t('common.cancel')}
            </button>
          </div>
        </td>
      </tr>
      {form.error ? (
        <tr>
          <td colSpan={8}>
            <FormErrorSummary error={form.error} unmatched={form.unmatched} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function DeleteMinimum({ m, onClose }: { m: MinimumAlert; onClose: (deleted: boolean) => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const what = `${m.grade_code} ${t(`stock.shapes.${m.shape}`)} ${m.diameter_mm}`;
  const del = useMutation({
    mutationFn: () => api<void>(`/material-minimums/${m.minimum_id}`, { method: 'DELETE' }),
    onSuccess: () => {
      toast.show(t('minimums.deleted'));
      onClose(true);
    },
  });
  return (
    <ConfirmDialog title={t('minimums.delete_confirm', { what })} danger confirmLabel={t('cutting.delete')} pending={del.isPending} error={del.error} onConfirm={() => del.mutate()} onCancel={() => onClose(false)} />
  );
}

export function MaterialMinimumsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [belowOnly, setBelowOnly] = useState(false);
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [deleting, setDeleting] = useState<MinimumAlert | null>(null);
  const editable = can(me, 'materials', 'update');
  const q = useQuery({
    queryKey: ['material-minimums', belowOnly],
    queryFn: () => api<MinimumAlert[]>('/material-stock/alerts', { query: { below_only: belowOnly } }),
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['material-minimums'] });
    void qc.invalidateQueries({ queryKey: ['alerts'] });
  };
  const rows = q.data ?? [];
  return (
    <div className="page" data-testid="material-minimums-page">
      <PageHeader
        crumbs={[{ label: t('modules.materials'), to: '/materials' }, { label: t('minimums.title') }]}
        actions={
          editable && editing !== 'new' ? (
            <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="new-minimum">
              <Icon name="plus" size={16} />
              <span>{t('minimums.new')}</span>
            </button>
          ) : null
        }
      />
      <div className="sheet">
        <p className="muted">{t('minimums.intro')}</p>
        <label className="md-inline-actions" style={{ margin: '8px 0' }}>
          <input type="checkbox" checked={belowOnly} onChange={(e) => setBelowOnly(e.target.checked)} data-testid="below-only" />
          {t('minimums.below_only')}
        </label>
        {q.isError && <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />}
        <div className="table-scroll">
          <table className="table cutting-table" data-testid="minimums-table">
            <thead>
              <tr>
                <th>{t('minimums.grade')}</th>
                <th>{t('minimums.shape')}</th>
                <th className="num">{t('minimums.diameter')}</th>
                <th className="num">{t('minimums.min_quantity')}</th>
                <th className="num">{t('minimums.on_hand')}</th>
                <th className="num">{t('minimums.available')}</th>
                <th>{t('minimums.state')}</th>
                {editable && <th className="actions">{t('cutting.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {editing === 'new' && (
                <MinimumEditRow
                  onDone={() => {
                    setEditing(null);
                    refresh();
                  }}
                  onCancel={() => setEditing(null)}
                />
              )}
              {rows.map((m) =>
                editing === m.minimum_id ? (
                  <MinimumEditRow
                    key={m.minimum_id}
                    original={m}
                    onDone={() => {
                      setEditing(null);
                      refresh();
                    }}
                    onCancel={() => setEditing(null)}
                  />
                ) : (
                  <tr key={m.minimum_id} data-testid={`minimum-${m.minimum_id}`}>
                    <td className="mono nowrap">{m.grade_code}</td>
                    <td>{t(`stock.shapes.${m.shape}`, { defaultValue: m.shape })}</td>
                    <td className="num">{m.diameter_mm}</td>
                    <td className="num">{m.min_quantity}</td>
                    <td className="num">{m.on_hand}</td>
                    <td className="num">
                      <strong>{m.available}</strong>
                    </td>
                    <td>{m.below_min ? <span className="status-badge status-below">{t('minimums.below')}</span> : <span className="status-badge status-ok">{t('minimums.ok')}</span>}</td>
                    {editable && (
                      <td className="actions">
                        <button type="button" className="btn btn-link btn-sm" onClick={() => setEditing(m.minimum_id)} data-testid={`edit-minimum-${m.minimum_id}`}>
                          {t('cutting.edit')}
                        </button>
                        <button type="button" className="btn btn-link btn-sm btn-danger-link" onClick={() => setDeleting(m)} data-testid={`delete-minimum-${m.minimum_id}`}>
                          {t('cutting.delete')}
                        </button>
                      </td>
                    )}
                  </tr>
                ),
              )}
              {q.isSuccess && rows.length === 0 && editing !== 'new' && (
                <tr>
                  <td colSpan={8} className="table-msg">
                    {t('minimums.empty')}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </div>
      {deleting && (
        <DeleteMinimum
          m={deleting}
          onClose={(done) => {
            setDeleting(null);
            if (done) refresh();
          }}
        />
      )}
    </div>
  );
}
