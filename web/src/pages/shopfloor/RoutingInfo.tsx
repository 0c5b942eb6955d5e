// The routing information of an operation (machine, times, tools, instruments, NC program,
// method sheet and job links): the whole traveler page for readers without the time-tracking
// right, folded below the actions for operators.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../../auth/AuthContext';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { durationText, isSubcontract, minutesText, toolState, toolText } from '../jobs/logic';
import type { Operation } from '../jobs/types';
import '../orders/orders.css';
import '../jobs/jobs.css';

export function OperationCrumbs({ jobId, jobNumber, position, canJob }: { jobId: number; jobNumber: string; position: number; canJob: boolean }) {
  const { t } = useTranslation();
  return (
    <PageHeader
      crumbs={canJob ? [{ label: jobNumber, to: `/jobs/${jobId}` }, { label: t('jobs.op_short', { n: position }) }] : [{ label: `${jobNumber} · ${t('jobs.op_short', { n: position })}` }]}
    />
  );
}

/** The routing information of an operation: where, times, tools, instruments, links. */
export function RoutingInfo({ op, jobId, jobNumber }: { op: Operation; jobId: number; jobNumber: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const canJob = can(me, 'routings', 'read');
  return (
    <>
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
              <dd className="mono" data-testid="operation-nc">
                {op.nc_program}
              </dd>
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
          <Link to={`/jobs/${jobId}`} className="btn btn-secondary btn-lg" data-testid="operation-job">
            <Icon name="routings" size={18} /> {t('jobs.open_job', { number: jobNumber })}
          </Link>
        )}
      </div>
    </>
  );
}
