// /shop-floor/reasons — the scrap reasons offered to operators (docs/shop-floor.md), managed by
// qualité: list (code, label, active), add (quality:update — operators declare non-conformities
// with quality:create but do not manage the list), inline label edit and
// activate/deactivate (quality:update). A reason is never deleted: past scrap records refer to it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field, FormErrorSummary, inputProps, useFormErrors } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { can } from '../../modules';
import './shopfloor.css';

export interface ScrapReason {
  id: number;
  code: string;
  label: string;
  active: boolean;
  position: number;
  version: number;
}

const KEY = ['shop-floor', 'scrap-reasons'];
const ADD_FIELDS = ['code', 'label', 'position'] as const;

function AddReasonForm({ onAdded }: { onAdded: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const form = useFormErrors(ADD_FIELDS);
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const add = useMutation({
    mutationFn: () => api<ScrapReason>('/shop-floor/scrap-reasons', { method: 'POST', body: { code: code.trim(), label: label.trim() } }),
    onSuccess: (r) => {
      toast.show(t('followup.reason_added', { label: r.label }));
      setCode('');
      setLabel('');
      form.setError(null);
      onAdded();
    },
    onError: form.setError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    add.mutate();
  };
  return (
    <form className="panel" onSubmit={submit} noValidate data-testid="reason-add" aria-label={t('followup.add_title')}>
      <h3 className="panel-title">{t('followup.add_title')}</h3>
      <FormErrorSummary error={form.error} unmatched={form.unmatched} />
      <div className="form-grid">
        <Field name="code" label={t('followup.code')} hint={t('followup.code_hint')} error={form.errorFor('code')} required>
          <input
            {...inputProps('code', form.errorFor('code'))}
            className="input mono"
            autoComplete="off"
            spellCheck={false}
            value={code}
            onChange={(e) => {
              setCode(e.target.value);
              form.clearField('code');
            }}
          />
        </Field>
        <Field name="label" label={t('followup.label')} error={form.errorFor('label')} required>
          <input
            {...inputProps('label', form.errorFor('label'))}
            className="input"
            value={label}
            onChange={(e) => {
              setLabel(e.target.value);
              form.clearField('label');
            }}
          />
        </Field>
      </div>
      <div className="sf-row" style={{ marginTop: 12 }}>
        <button type="submit" className="btn btn-primary" disabled={add.isPending} data-testid="reason-add-submit">
          <Icon name="plus" size={16} /> {t('followup.add')}
        </button>
      </div>
    </form>
  );
}

function LabelCell({ reason, editable, onSaved }: { reason: ScrapReason; editable: boolean; onSaved: (r: ScrapReason) => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(reason.label);
  const save = useMutation({
    mutationFn: () => api<ScrapReason>(`/shop-floor/scrap-reasons/${reason.id}`, { method: 'PATCH', body: { label: text.trim(), version: reason.version } }),
    onSuccess: (r) => {
      toast.show(t('followup.reason_saved'));
      setEditing(false);
      onSaved(r);
    },
  });
  if (!editing) {
    return (
      <span className="sf-row" style={{ gap: 6 }}>
        <span data-testid={`reason-label-${reason.id}`}>{reason.label}</span>
        {editable && (
          <button
            type="button"
            className="icon-btn"
            onClick={() => {
              save.reset();
              setText(reason.label);
              setEditing(true);
            }}
            aria-label={t('followup.edit_label', { code: reason.code })}
            title={t('followup.edit_label', { code: reason.code })}
            data-testid={`reason-edit-${reason.id}`}
          >
            <Icon name="pencil" size={16} />
          </button>
        )}
      </span>
    );
  }
  const empty = text.trim() === '';
  const commit = () => {
    if (empty || save.isPending) return;
    if (text.trim() === reason.label) {
      setEditing(false);
      return;
    }
    save.mutate();
  };
  return (
    <div>
      <div className="sf-row" style={{ gap: 6, flexWrap: 'nowrap' }}>
        <input
          className="input input-sm"
          aria-label={t('followup.edit_label', { code: reason.code })}
          aria-invalid={empty || undefined}
          value={text}
          autoFocus
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setEditing(false);
          }}
          data-testid={`reason-label-input-${reason.id}`}
        />
        <button type="button" className="btn btn-primary btn-sm" disabled={empty || save.isPending} onClick={commit} data-testid={`reason-save-${reason.id}`}>
          {t('common.save')}
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => setEditing(false)}>
          {t('common.cancel')}
        </button>
      </div>
      {empty && <div className="field-error">{t('followup.label_required')}</div>}
      {save.error ? <ErrorBanner error={save.error} /> : null}
    </div>
  );
}

function ActiveToggle({ reason, onSaved }: { reason: ScrapReason; onSaved: (r: ScrapReason) => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const toggle = useMutation({
    mutationFn: () => api<ScrapReason>(`/shop-floor/scrap-reasons/${reason.id}`, { method: 'PATCH', body: { active: !reason.active, version: reason.version } }),
    onSuccess: (r) => {
      toast.show(t(r.active ? 'followup.reason_activated' : 'followup.reason_deactivated', { label: r.label }));
      onSaved(r);
    },
    onError: () => onSaved(reason),
  });
  return (
    <>
      <button type="button" className="btn btn-secondary btn-sm" disabled={toggle.isPending} onClick={() => toggle.mutate()} data-testid={`reason-toggle-${reason.id}`}>
        {reason.active ? t('followup.deactivate') : t('followup.activate')}
      </button>
      {toggle.error ? <ErrorBanner error={toggle.error} /> : null}
    </>
  );
}

export function ReasonsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: KEY, queryFn: () => api<ScrapReason[]>('/shop-floor/scrap-reasons') });
  const canCreate = can(me, 'quality', 'update');
  const canUpdate = can(me, 'quality', 'update');
  const refresh = () => void qc.invalidateQueries({ queryKey: KEY });
  const saved = (r: ScrapReason) => {
    qc.setQueryData<ScrapReason[]>(KEY, (list) => list?.map((x) => (x.id === r.id ? r : x)));
    refresh();
  };
  return (
    <div className="page" data-testid="scrap-reasons">
      <PageHeader crumbs={[{ label: t('followup.reasons_title') }]} />
      <p className="muted">{t('followup.reasons_hint')}</p>
      {q.isError && <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />}
      {q.isPending && <p className="muted">{t('common.loading')}</p>}
      {q.data && (
        <section className="panel" style={{ marginBottom: 16 }}>
          <div className="table-scroll">
            <table className="table" data-testid="reasons-table">
              <thead>
                <tr>
                  <th>{t('followup.code')}</th>
                  <th>{t('followup.label')}</th>
                  <th>{t('followup.state')}</th>
                  {canUpdate && <th aria-label={t('common.edit')} />}
                </tr>
              </thead>
              <tbody>
                {q.data.map((r) => (
                  <tr key={r.id} data-testid={`reason-${r.code}`} style={r.active ? undefined : { color: 'var(--c-muted)' }}>
                    <td className="mono nowrap">{r.code}</td>
                    <td>
                      <LabelCell key={r.version} reason={r} editable={canUpdate} onSaved={saved} />
                    </td>
                    <td className="nowrap">
                      <span className={`status-badge ${r.active ? 'status-actif' : 'status-inactif'}`} data-testid={`reason-state-${r.id}`}>
                        {r.active ? t('followup.active') : t('followup.inactive')}
                      </span>
                    </td>
                    {canUpdate && (
                      <td className="nowrap">
                        <ActiveToggle reason={r} onSaved={saved} />
                      </td>
                    )}
                  </tr>
                ))}
                {q.data.length === 0 && (
                  <tr>
                    <td colSpan={canUpdate ? 4 : 3} className="muted">
                      {t('followup.no_reasons')}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {canCreate && <AddReasonForm onAdded={refresh} />}
    </div>
  );
}
