// Cutting data of a tool per ISO material group (P M K N S H): list, add, edit in place, delete
// after confirmation. PATCH takes the same JSON as POST plus the `version` read.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormErrorSummary, useFormErrors } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { useToast } from '../../components/Toast';
import { CUTTING_FIELDS, CUTTING_SOURCES, cuttingBody, cuttingForm, FEED_KINDS, ISO_GROUPS, rangeText, type CuttingField, type CuttingForm } from './masterData';
import type { CuttingData } from './stock';
import '../../styles/masterData.css';

const COLS = 7;

function CuttingEditor({ toolId, original, onDone, onCancel }: { toolId: number; original?: CuttingData & { notes?: string | null }; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const form = useFormErrors(CUTTING_FIELDS);
  const [v, setV] = useState<CuttingForm>(cuttingForm(original));
  const set = (k: CuttingField, value: string) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(k);
  };
  const save = useMutation({
    mutationFn: () =>
      original
        ? api<CuttingData>(`/tools/${toolId}/cutting-data/${original.id}`, { method: 'PATCH', body: cuttingBody(v, original.version) })
        : api<CuttingData>(`/tools/${toolId}/cutting-data`, { method: 'POST', body: cuttingBody(v) }),
    onSuccess: () => {
      toast.show(t('cutting.saved'));
      onDone();
    },
    onError: form.setError,
  });
  const input = (k: CuttingField, label: string, placeholder: string) => (
    <input
      className="input"
      aria-label={label}
      aria-invalid={form.errorFor(k) ? true : undefined}
      inputMode="decimal"
      placeholder={placeholder}
      value={v[k]}
      onChange={(e) => set(k, e.target.value)}
      data-testid={`cd-${k}`}
    />
  );
  const pair = (a: CuttingField, b: CuttingField, label: string) => (
    <div>
      <div className="field-label">{label}</div>
      <div className="pair">
        {input(a, `${label} ${t('cutting.min')}`, t('cutting.min'))}
        {input(b, `${label} ${t('cutting.max')}`, t('cutting.max'))}
      </div>
      {[a, b].map((k) =>
        form.errorFor(k) ? (
          <div key={k} className="field-error" data-testid={`error-${k}`}>
            {form.errorFor(k)}
          </div>
        ) : null,
      )}
    </div>
  );
  const select = (k: CuttingField, label: string, options: readonly string[], text: (c: string) => string) => (
    <div>
      <div className="field-label">{label}</div>
      <select className="input" aria-label={label} value={v[k]} onChange={(e) => set(k, e.target.value)} data-testid={`cd-${k}`}>
        {options.map((c) => (
          <option key={c} value={c}>
            {text(c)}
          </option>
        ))}
      </select>
      {form.errorFor(k) && (
        <div className="field-error" data-testid={`error-${k}`}>
          {form.errorFor(k)}
        </div>
      )}
    </div>
  );
  return (
    <div className="cutting-edit-panel" data-testid="cutting-editor" role="group" aria-label={original ? `${t('cutting.edit')} ${original.iso_group}` : t('cutting.add')}>
        <h4>{original ? `${t('cutting.edit')} — ${original.iso_group_label}` : t('cutting.add')}</h4>
        <FormErrorSummary error={form.error} unmatched={form.unmatched} />
        <div className="cutting-form">
          {select('iso_group', t('stock.iso_group'), original ? [...new Set([original.iso_group, ...ISO_GROUPS])] : ['', ...ISO_GROUPS], (c) => c || '—')}
          {pair('vc_min', 'vc_max', t('cutting.vc'))}
          {select('feed_kind', t('cutting.feed_kind'), FEED_KINDS, (c) => t(`cutting.feed_kinds.${c}`))}
          {pair('feed_min', 'feed_max', t('cutting.feed'))}
          {pair('ap_min', 'ap_max', t('cutting.ap'))}
          {pair('ae_min', 'ae_max', t('cutting.ae'))}
          {select('source', t('stock.source'), CUTTING_SOURCES, (c) => t(`cutting.sources.${c}`))}
          <div className="full">
            <div className="field-label">{t('cutting.notes')}</div>
            <input className="input" aria-label={t('cutting.notes')} value={v.notes} onChange={(e) => set('notes', e.target.value)} data-testid="cd-notes" />
          </div>
          <div className="full md-inline-actions">
            <button type="button" className="btn btn-primary btn-sm" disabled={save.isPending} onClick={() => { form.setError(null); save.mutate(); }} data-testid="save-cutting">
              {save.isPending ? t('common.saving') : t('common.save')}
            </button>
            <button type="button" className="btn btn-secondary btn-sm" onClick={onCancel} data-testid="cancel-cutting">
              {t('common.cancel')}
            </button>
          </div>
        </div>
    </div>
  );
}

export function CuttingDataTable({ toolId, editable }: { toolId: number; editable: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const key = ['tool-cutting', toolId];
  const q = useQuery({ queryKey: key, queryFn: () => api<CuttingData[]>(`/tools/${toolId}/cutting-data`) });
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CuttingData | null>(null);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: key });
    void qc.invalidateQueries({ queryKey: ['history', 'tools', String(toolId)] });
  };
  const del = useMutation({
    mutationFn: (c: CuttingData) => api<void>(`/tools/${toolId}/cutting-data/${c.id}`, { method: 'DELETE' }),
    onSuccess: () => {
      toast.show(t('cutting.deleted'));
      setDeleting(null);
      refresh();
    },
  });
  const done = () => {
    setEditing(null);
    refresh();
  };
  const rows = q.data ?? [];
  return (
    <>
      <div className="section-head">
        <h3 className="form-section">{t('stock.cutting_data')}</h3>
        {editable && editing !== 'new' && (
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => setEditing('new')} data-testid="add-cutting">
            <Icon name="plus" size={14} /> {t('cutting.add')}
          </button>
        )}
      </div>
      {q.isError && <ErrorBanner error={q.error} />}
      <div className="table-scroll">
        <table className="table cutting-table" data-testid="cutting-data">
          <thead>
            <tr>
              <th>{t('stock.iso_group')}</th>
              <th className="num">{t('cutting.vc')}</th>
              <th className="num">{t('stock.feed')}</th>
              <th className="num">{t('cutting.ap')}</th>
              <th className="num">{t('cutting.ae')}</th>
              <th>{t('stock.source')}</th>
              <th className="actions">{editable ? <span className="sr-only">{t('cutting.actions')}</span> : null}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-testid={`cutting-row-${c.iso_group}`} className={editing === c.id ? 'cutting-edit' : undefined}>
                <td>
                  <span className={`chip chip-iso-${c.iso_group}`}>{c.iso_group}</span> <span className="muted small">{c.iso_group_label}</span>
                </td>
                <td className="num">{rangeText(c.vc_min, c.vc_max)}</td>
                <td className="num nowrap">
                  {c.feed_kind} {rangeText(c.feed_min, c.feed_max)}
                </td>
                <td className="num">{rangeText(c.ap_min, c.ap_max)}</td>
                <td className="num">{rangeText(c.ae_min, c.ae_max)}</td>
                <td>{c.source_label}</td>
                <td className="actions">
                  {editable && (
                    <>
                      <button type="button" className="icon-btn" title={t('cutting.edit')} aria-label={`${t('cutting.edit')} ${c.iso_group}`} onClick={() => setEditing(c.id)} data-testid={`edit-cutting-${c.id}`}>
                        <Icon name="pencil" size={16} />
                      </button>
                      <button type="button" className="icon-btn btn-danger-link" title={t('cutting.delete')} aria-label={`${t('cutting.delete')} ${c.iso_group}`} onClick={() => setDeleting(c)} data-testid={`delete-cutting-${c.id}`}>
                        <Icon name="trash" size={16} />
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
            {q.isSuccess && rows.length === 0 && editing !== 'new' && (
              <tr>
                <td colSpan={COLS} className="table-msg">
                  {t('cutting.empty')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {editing !== null && (
        <CuttingEditor key={editing} toolId={toolId} original={editing === 'new' ? undefined : rows.find((c) => c.id === editing)} onDone={done} onCancel={() => setEditing(null)} />
      )}
      {deleting && (
        <ConfirmDialog
          title={t('cutting.delete_confirm', { group: deleting.iso_group })}
          danger
          confirmLabel={t('cutting.delete')}
          pending={del.isPending}
          error={del.error}
          onConfirm={() => del.mutate(deleting)}
          onCancel={() => {
            setDeleting(null);
            del.reset();
          }}
        />
      )}
    </>
  );
}
