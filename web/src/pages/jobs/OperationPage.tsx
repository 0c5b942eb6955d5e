// /operations/:id — what the traveler's QR code of an operation opens on the shop floor (phone
// first): the operation, its machine, times, tools, instruments, NC program, and links to its
// method sheet and its job. Starting / pausing the operation comes with time tracking (issue 7).
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { JobStatusBadge } from '../orders/components';
import { durationText, isSubcontract, minutesText, toolState, toolText } from './logic';
import type { Operation } from './types';
import '../orders/orders.css';
import './jobs.css';

export interface OperationRef {
  job_id: number;
  job_number: string;
  job_status: string;
  job_status_label?: string;
  operation: Operation;
}

export function OperationPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const q = useQuery({ queryKey: ['job-operation', id], queryFn: () => api<OperationRef>(`/job-operations/${id}`) });
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: t('jobs.operation_title') }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  const { job_id, job_number, job_status, operation: op } = q.data;
  const canJob = can(me, 'routings', 'read');
  return (
    <div className="page j-opage" data-testid="operation-page">
      <PageHeader
        crumbs={canJob ? [{ label: job_number, to: `/jobs/${job_id}` }, { label: t('jobs.op_short', { n: op.position }) }] : [{ label: `${job_number} · ${t('jobs.op_short', { n: op.position })}` }]}
      />
      <section className="panel j-ocard" data-testid="operation-head">
        <div className="j-title">
          <span className="mono j-opos">{op.position}</span>
          <span className={`j-proc j-proc-${op.process}`}>{op.process_label}</span>
          <h2 className="j-olabel">{op.label}</h2>
        </div>
        {op.description && <p className="j-odesc">{op.description}</p>}
        <div className="j-ometa">
          <span>
            {t('jobs.job')} <strong className="mono">{job_number}</strong> <JobStatusBadge status={job_status} label={q.data.job_status_label} />
          </span>
          {op.status_label && <span className="status-badge">{op.status_label}</span>}
        </div>
      </section>

      <section className="panel j-ocard" data-testid="operation-where">
        <h3 className="panel-title">{isSubcontract(op) ? t('jobs.subcontracted') : t('jobs.col.machine')}</h3>
        {isSubcontract(op) ? (
          <dl className="meta">
            <div>
              <dt>{t('jobs.supplier')}</dt>
              <dd>{op.supplier_name || <span className="j-todo">{t('jobs.to_fill')}</span>}</dd>
            </div>
            <div>
              <dt>{t('jobs.subcontract_po')}</dt>
              <dd>{op.subcontract_po || '—'}</dd>
            </div>
            <div>
              <dt>{t('jobs.send_date')}</dt>
              <dd>{op.send_date ? f.date(op.send_date) : '—'}</dd>
            </div>
            <div>
              <dt>{t('jobs.return_date')}</dt>
              <dd>{op.return_date ? f.date(op.return_date) : '—'}</dd>
            </div>
          </dl>
        ) : (
          <p className="j-omachine" data-testid="operation-machine">
            {op.machine_code ? (
              <>
                <strong className="mono">{op.machine_code}</strong> {op.machine_name}
              </>
            ) : (
              (op.work_centre_label ?? op.work_centre ?? '—')
            )}
          </p>
        )}
        <dl className="meta j-otimes">
          <div>
            <dt>{t('jobs.setup')}</dt>
            <dd>{minutesText(op.setup_min, f.lang)} min</dd>
          </div>
          <div>
            <dt>{t('jobs.run')}</dt>
            <dd>{minutesText(op.run_min, f.lang)} min</dd>
          </div>
          <div>
            <dt>{t('jobs.total')}</dt>
            <dd data-testid="operation-total">{durationText(Number(op.total_min), f.lang)}</dd>
          </div>
          {op.nc_program && (
            <div>
              <dt>{t('jobs.nc_program')}</dt>
              <dd className="mono">{op.nc_program}</dd>
            </div>
          )}
        </dl>
      </section>

      {op.tools.length > 0 && (
        <section className="panel j-ocard" data-testid="operation-tools">
          <h3 className="panel-title">{t('jobs.tools')}</h3>
          <ul className="j-olist">
            {op.tools.map((tool, i) => {
              const st = toolState(tool);
              return (
                <li key={i} className={`j-oitem j-tool-${st}`}>
                  <span className={`chip j-tool j-tool-${st}`}>{toolText(tool, f.lang)}</span>
                  <span className="small muted">
                    {st === 'ok' ? t('jobs.tool_ok', { code: tool.tool_code ?? '', qty: tool.available_qty ?? 0 }) : st === 'missing' ? t('jobs.tool_missing', { code: tool.tool_code ?? '' }) : t('jobs.tool_unknown')}
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      {op.instruments.length > 0 && (
        <section className="panel j-ocard" data-testid="operation-instruments">
          <h3 className="panel-title">{t('jobs.instruments')}</h3>
          <ul className="j-olist">
            {op.instruments.map((ins, i) => (
              <li key={i} className="j-oitem">
                <strong>{ins.characteristic}</strong>
                <span className={`small ${ins.usable ? 'muted' : 'j-todo'}`}>
                  {ins.instrument_type ? t(`jobs.instrument_types.${ins.instrument_type}`, { defaultValue: ins.instrument_type }) : ''}
                  {ins.instrument_code ? ` · ${ins.instrument_code}` : ''}
                  {!ins.usable && ` — ${t('jobs.instrument_unusable')}`}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <div className="j-olinks">
        {op.method_sheet && (
          <Link to={`/method-sheets/${op.method_sheet.id}`} className="btn btn-primary btn-lg" data-testid="operation-method-sheet">
            <Icon name="method_sheets" size={18} /> {t('jobs.method_sheet')}
          </Link>
        )}
        {canJob && (
          <Link to={`/jobs/${job_id}`} className="btn btn-secondary btn-lg" data-testid="operation-job">
            <Icon name="routings" size={18} /> {t('jobs.open_job', { number: job_number })}
          </Link>
        )}
      </div>
      <p className="hint">{t('jobs.operation_next')}</p>
    </div>
  );
}
