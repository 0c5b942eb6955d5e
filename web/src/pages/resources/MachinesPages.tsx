import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import type { Machine } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { LabelPrintButton, useRowSelection } from '../../components/LabelPrintButton';
import { DataTable, type DataColumn, type FilterDef } from '../../components/DataTable';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormErrorSummary } from '../../components/Form';
import { AttachmentsPanel } from '../../components/AttachmentsPanel';
import { HistoryPanel } from '../../components/HistoryPanel';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { QrBadge } from '../../components/QrBadge';
import { StatusBar } from '../../components/StatusBar';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { fitsPhotoLimit } from './logic';
import { SpecFields, StateBadge, useFieldLabels, useResourceForm } from './ResourceForm';
import { MACHINE_KINDS, MACHINE_SPECS, MACHINE_STATUSES } from './specs';

export function MachinesListPage() {
  const { t } = useTranslation();
  const sel = useRowSelection();
  const f = useFormat();
  const me = useMe();
  const columns = useMemo<DataColumn<Machine>[]>(
    () => [
      { id: 'code', header: t('machines.code'), sortKey: 'code', cell: (m) => <span className="mono">{m.code}</span>, className: 'nowrap' },
      { id: 'name', header: t('machines.name'), sortKey: 'name', cell: (m) => m.name },
      { id: 'kind', header: t('machines.kind'), sortKey: 'kind', cell: (m) => m.kind_label, className: 'nowrap' },
      { id: 'brand', header: t('machines.brand_model'), cell: (m) => [m.brand, m.model].filter(Boolean).join(' ') },
      { id: 'cnc', header: t('machines.cnc_controller'), cell: (m) => m.cnc_controller_label ?? '', hiddenByDefault: true },
      { id: 'rpm', header: t('machines.max_spindle_rpm'), cell: (m) => (m.max_spindle_rpm ? f.number(m.max_spindle_rpm) : ''), className: 'num' },
      { id: 'status', header: t('machines.status'), sortKey: 'status', cell: (m) => <StateBadge state={m.status} label={m.status_label} /> },
      { id: 'location', header: t('machines.location'), cell: (m) => m.location ?? '', hiddenByDefault: true },
      { id: 'machine_rate', header: t('machines.machine_rate'), cell: (m) => (m.machine_rate ? f.money(m.machine_rate) : ''), className: 'num nowrap' },
      { id: 'year', header: t('machines.year'), sortKey: 'year', cell: (m) => m.year ?? '', className: 'num', hiddenByDefault: true },
    ],
    [t, f],
  );
  const filters = useMemo<FilterDef[]>(
    () => [
      { key: 'kind', label: t('machines.kind'), type: 'select', options: MACHINE_KINDS.map((k) => ({ value: k, label: t(`machine_kinds.${k}`) })) },
      { key: 'status', label: t('machines.status'), type: 'select', options: MACHINE_STATUSES.map((k) => ({ value: k, label: t(`machine_status.${k}`) })) },
    ],
    [t],
  );
  return (
    <div className="page" data-testid="machines-page">
      <PageHeader crumbs={[{ label: t('machines.title') }]} />
      <DataTable<Machine>
        tableId="machines"
        endpoint="/machines"
        columns={columns}
        filters={filters}
        defaultSort="code"
        rowKey={(m) => m.id}
        rowHref={(m) => `/machines/${m.id}`}
        exportName="machines"
        selection={sel}
        actions={
          <>
            {can(me, 'machines', 'create') ? (
            <Link to="/machines/new" className="btn btn-primary" data-testid="new-machine">
              <Icon name="plus" size={16} />
              <span>{t('machines.new')}</span>
            </Link>
          ) : null}
            <LabelPrintButton entity="machines" ids={sel.selected} />
          </>
        }
      />
    </div>
  );
}

function MachineForm({ machine, onSaved }: { machine: Machine | null; onSaved: (m: Machine) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const editable = can(me, 'machines', machine ? 'update' : 'create');
  const [photo, setPhoto] = useState<string | null | undefined>(undefined);
  const fieldLabels = useFieldLabels(MACHINE_SPECS, {
    machine_rate_cents: 'machine_rate',
    operator_rate_cents: 'operator_rate',
    has_photo: 'machines.photo',
    status: 'machines.status',
  });
  const r = useResourceForm<Machine>({
    specs: MACHINE_SPECS,
    record: machine,
    endpoint: '/machines',
    extraFields: ['photo'],
    extraBody: () => (photo === undefined ? {} : { photo }),
    savedMessage: t('machines.saved'),
    onSaved: (m) => {
      if (!machine) navigate(`/machines/${m.id}`, { replace: true });
      else onSaved(m);
    },
  });
  const pickPhoto = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      if (!fitsPhotoLimit(url)) toast.show(t('machines.photo_too_large'), 'error');
      else setPhoto(url);
    };
    reader.readAsDataURL(file);
  };
  const shownPhoto = photo === undefined ? machine?.photo : photo;
  const title = machine ? `${machine.code} — ${machine.name}` : t('machines.new');
  return (
    <div className="page" data-testid={machine ? 'machine-edit' : 'machine-create'}>
      <PageHeader
        crumbs={[{ label: t('machines.title'), to: '/machines' }, { label: title }]}
        actions={
          editable ? (
            <>
              <button type="submit" form="machine-form" className="btn btn-primary" disabled={(machine && !r.dirty) || r.save.isPending} data-testid="save">
                {r.save.isPending ? t('common.saving') : t('common.save')}
              </button>
              {machine ? (
                <button type="button" className="btn btn-secondary" disabled={!r.dirty} onClick={() => { r.reset(); setPhoto(undefined); }}>
                  {t('common.discard')}
                </button>
              ) : (
                <Link to="/machines" className="btn btn-secondary">
                  {t('common.cancel')}
                </Link>
              )}
              {machine && r.dirty && <span className="unsaved">{t('common.unsaved')}</span>}
            </>
          ) : null
        }
      />
      <div className="form-layout">
        <div className="sheet">
          {machine && (
            <StatusBar<Machine>
              recordPath={`/machines/${machine.id}`}
              status={machine.status}
              statusLabel={machine.status_label}
              version={machine.version}
              disabled={r.dirty}
              states={MACHINE_STATUSES.map((s) => ({ code: s, label: t(`machine_status.${s}`) }))}
              onChanged={(m) => {
                toast.show(t('machines.status_changed', { label: m.status_label }));
                void qc.invalidateQueries({ queryKey: ['/machines'] });
                onSaved(m);
              }}
            />
          )}
          <div className="sheet-body">
            {machine && (
              <div className="sheet-title">
                <h2 data-testid="machine-title">{title}</h2>
                <span className="muted">{machine.kind_label}</span>
                <StateBadge state={machine.status} label={machine.status_label} />
              </div>
            )}
            <FormErrorSummary error={r.form.error} unmatched={r.form.unmatched} onReload={() => void qc.invalidateQueries({ queryKey: ['machine'] })} />
            <form id="machine-form" className="form-grid" onSubmit={r.submit} noValidate>
              <SpecFields specs={MACHINE_SPECS} values={r.values} set={r.set} errorFor={r.form.errorFor} editable={editable} />
              <div className="span-2 spec-cell">
                <h3 className="form-section">{t('machines.photo')}</h3>
                {shownPhoto ? <img className="machine-photo" src={shownPhoto} alt={t('machines.photo')} data-testid="machine-photo" /> : <p className="muted">{t('machines.no_photo')}</p>}
                {editable && (
                  <div className="res-inline-form">
                    <input type="file" accept="image/png,image/jpeg,image/webp" onChange={pickPhoto} data-testid="input-photo" />
                    {shownPhoto && (
                      <button type="button" className="btn btn-secondary btn-sm" onClick={() => setPhoto(null)}>
                        {t('machines.remove_photo')}
                      </button>
                    )}
                  </div>
                )}
                {r.form.errorFor('photo') && <p className="field-error">{r.form.errorFor('photo')}</p>}
              </div>
            </form>
          </div>
        </div>
        {machine && (
          <div className="side">
            <QrBadge entity="machines" id={machine.id} caption={machine.code} subCaption={machine.name} />
            <AttachmentsPanel entity="machines" entityId={machine.id} />
            <HistoryPanel entity="machines" id={machine.id} version={machine.version} fieldLabels={fieldLabels} />
          </div>
        )}
      </div>
    </div>
  );
}

function MachineLoader({ id }: { id: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['machine', id], queryFn: () => api<Machine>(`/machines/${id}`) });
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: t('machines.title'), to: '/machines' }, { label: `#${id}` }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  return <MachineForm key={`${q.data.id}-${q.data.version}`} machine={q.data} onSaved={(m) => qc.setQueryData(['machine', id], m)} />;
}

export function MachineFormPage() {
  const { id } = useParams();
  if (!id || id === 'new') return <MachineForm machine={null} onSaved={() => undefined} />;
  return <MachineLoader key={id} id={id} />;
}
