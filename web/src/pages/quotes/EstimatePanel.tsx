// The estimate of a line as the engine returned it: open issues, the price per quantity in the
// three scenarios (the person picks one), the draft routing with the machines considered, raw
// stock, tools to buy, and "Pourquoi ce prix ?" (every number with its formula and source).
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/Icon';
import { useFormat } from '../../lib/useFormat';
import { resourceText, scenariosInOrder, selectedBreak } from './logic';
import { SCENARIO_KINDS, type Estimate, type Issue, type Operation, type RawStock, type Resource, type ScenarioKind, type Section, type TraceItem } from './types';

export interface Selection {
  quantity: number;
  scenario: ScenarioKind;
}

/** What is selected, with the defaults the server applies (first quantity, Standard). */
export function effectiveSelection(estimate: Estimate, quantity: number | null, scenario: ScenarioKind | null): Selection | null {
  const b = selectedBreak(estimate, quantity);
  return b ? { quantity: b.quantity, scenario: scenario ?? 'standard' } : null;
}

function usePct() {
  const { t } = useTranslation();
  const f = useFormat();
  return (v: string | number) => t('quotes.pct', { v: f.number(v, 1) });
}

export function IssuesList({ issues }: { issues: Issue[] }) {
  const { t } = useTranslation();
  if (issues.length === 0) return null;
  const order = { bloquant: 0, question: 1, avertissement: 2 } as const;
  return (
    <ul className="q-issues" data-testid="estimate-issues">
      {[...issues]
        .sort((a, b) => order[a.level] - order[b.level])
        .map((i, k) => (
          <li key={`${i.code}-${k}`} className={`q-issue q-issue-${i.level}`} data-testid={`issue-${i.level}`}>
            <span className="q-issue-level">{t(`quotes.issue_levels.${i.level}`)}</span>
            <span>{i.message_fr}</span>
          </li>
        ))}
    </ul>
  );
}

function BreaksTable({ estimate, selection, canSelect, selectHint, pending, onSelect }: {
  estimate: Estimate;
  selection: Selection | null;
  canSelect: boolean;
  selectHint?: string;
  pending: boolean;
  onSelect: (s: Selection) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const pct = usePct();
  const [open, setOpen] = useState<number | null>(null);
  return (
    <div className="table-scroll">
      <table className="table q-breaks" data-testid="breaks-table">
        <thead>
          <tr>
            <th className="num">{t('quotes.est.quantity')}</th>
            {SCENARIO_KINDS.map((k) => (
              <th key={k} data-testid={`scenario-head-${k}`} className={`q-sc-head q-sc-${k}`}>
                {t(`quotes.scenarios.${k}`)}
              </th>
            ))}
            <th>{t('quotes.est.costs')}</th>
          </tr>
        </thead>
        <tbody>
          {estimate.breaks.map((b) => (
            <Fragment key={b.quantity}>
              <tr data-testid={`break-${b.quantity}`}>
                <th scope="row" className="num q-qty">
                  <span className="q-qty-label muted">{t('quotes.est.quantity')}{t('common.colon')}</span>
                  {f.number(b.quantity)}
                </th>
                {SCENARIO_KINDS.map((k) => {
                  const s = scenariosInOrder(b).find((x) => x.kind === k);
                  if (!s) return <td key={k} className="muted">—</td>;
                  const selected = selection?.quantity === b.quantity && selection.scenario === k;
                  return (
                    <td key={k} className={`q-sc ${selected ? 'is-selected' : ''}`}>
                      <button
                        type="button"
                        className="q-sc-btn"
                        aria-pressed={selected}
                        disabled={!canSelect || pending}
                        title={canSelect ? t('quotes.est.select', { scenario: t(`quotes.scenarios.${k}`), qty: f.number(b.quantity) }) : selectHint}
                        onClick={() => onSelect({ quantity: b.quantity, scenario: k })}
                        data-testid={`scenario-${b.quantity}-${k}`}
                      >
                        <span className="q-sc-name">{t(`quotes.scenarios.${k}`)}</span>
                        <span className="q-sc-unit">
                          {f.money(s.unit_price)} <span className="muted small">{t('quotes.est.per_part')}</span>
                        </span>
                        <span className="q-sc-total">
                          {t('quotes.est.total')} {f.money(s.total_price)}
                        </span>
                        <span className="q-sc-meta">
                          <span title={t('quotes.est.margin')}>
                            {t('quotes.est.margin_short')} {pct(s.margin_pct)}
                          </span>
                          <span title={t('quotes.est.lead_time')}>{t('quotes.days', { n: s.lead_time_days })}</span>
                        </span>
                        {(s.raised_to_min_margin || s.raised_to_min_line) && (
                          <span className="q-sc-flags">
                            {s.raised_to_min_margin && <span className="badge badge-warn">{t('quotes.est.raised_min_margin')}</span>}
                            {s.raised_to_min_line && <span className="badge badge-warn">{t('quotes.est.raised_min_line')}</span>}
                          </span>
                        )}
                        {s.note_fr && <span className="q-sc-note">{s.note_fr}</span>}
                        {selected && (
                          <span className="q-sc-selected">
                            <Icon name="check" size={14} /> {t('quotes.est.selected')}
                          </span>
                        )}
                      </button>
                    </td>
                  );
                })}
                <td>
                  <button
                    type="button"
                    className="btn btn-link btn-sm"
                    aria-expanded={open === b.quantity}
                    onClick={() => setOpen(open === b.quantity ? null : b.quantity)}
                    data-testid={`costs-${b.quantity}`}
                  >
                    <span className="q-qty-label">{t('quotes.est.costs')}{t('common.colon')}</span>
                    {f.money(b.unit_cost)} {t('quotes.est.per_part')}
                    <Icon name={open === b.quantity ? 'chevron_down' : 'chevron_right'} size={14} />
                  </button>
                </td>
              </tr>
              {open === b.quantity && (
                <tr className="expanded-row">
                  <td colSpan={SCENARIO_KINDS.length + 2}>
                    <dl className="q-costs">
                      {(['material_cost', 'machine_cost', 'labour_cost', 'one_off_cost', 'subcontract_cost', 'tools_cost', 'total_cost', 'unit_cost'] as const).map((k) => (
                        <div key={k}>
                          <dt>{t(`quotes.est.${k}`)}</dt>
                          <dd>{f.money(b[k])}</dd>
                        </div>
                      ))}
                      <div>
                        <dt>{t('quotes.est.job_hours')}</dt>
                        <dd>{t('quotes.hours', { v: f.number(b.job_hours, 2) })}</dd>
                      </div>
                    </dl>
                    {b.material_sources.length > 0 && (
                      <p className="small">
                        {t('quotes.est.material_sources')}
                        {t('common.colon')}
                        {b.material_sources.map((m) => `${m.label} (${f.number(m.parts)})`).join(', ')}
                      </p>
                    )}
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ResourceCell({ r }: { r: Resource }) {
  const { t } = useTranslation();
  const f = useFormat();
  switch (r.kind) {
    case 'machine':
      return (
        <span>
          <span className="mono">{r.code}</span> <span className="muted small">{t('quotes.per_hour', { v: f.money(r.rate) })}</span>
        </span>
      );
    case 'activity':
      return (
        <span>
          {t(`quotes.activities.${r.code}`, { defaultValue: r.code })}
          {r.rate != null && <span className="muted small"> {t('quotes.per_hour', { v: f.money(r.rate) })}</span>}
        </span>
      );
    case 'subcontract':
      return (
        <span>
          <span className="chip">{t('quotes.est.subcontract')}</span> {resourceText(r)}
        </span>
      );
    default:
      return <span className="muted">—</span>;
  }
}

function OperationsTable({ operations }: { operations: Operation[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [open, setOpen] = useState<number | null>(null);
  if (operations.length === 0) return <p className="muted">{t('quotes.est.no_operations')}</p>;
  return (
    <div className="table-scroll">
      <table className="table q-ops" data-testid="operations-table">
        <thead>
          <tr>
            <th className="col-expand" aria-label={t('common.expand')} />
            <th className="num">{t('quotes.est.op_number')}</th>
            <th>{t('quotes.est.process')}</th>
            <th>{t('quotes.est.resource')}</th>
            <th className="num">{t('quotes.est.setup_h')}</th>
            <th className="num">{t('quotes.est.cycle_min')}</th>
            <th>{t('quotes.est.why')}</th>
          </tr>
        </thead>
        <tbody>
          {operations.map((op) => (
            <Fragment key={op.number}>
              <tr data-testid={`op-${op.number}`}>
                <td className="col-expand">
                  <button
                    type="button"
                    className="icon-btn"
                    aria-expanded={open === op.number}
                    aria-label={t('quotes.est.op_details', { n: op.number })}
                    onClick={() => setOpen(open === op.number ? null : op.number)}
                    data-testid={`op-expand-${op.number}`}
                  >
                    <Icon name={open === op.number ? 'chevron_down' : 'chevron_right'} size={16} />
                  </button>
                </td>
                <td className="num mono">{op.number}</td>
                <td>
                  <strong>{t(`quotes.processes.${op.process}`, { defaultValue: op.process })}</strong>
                  {op.description_fr && <div className="muted small">{op.description_fr}</div>}
                </td>
                <td className="nowrap">
                  <ResourceCell r={op.resource} />
                </td>
                <td className="num" title={t('quotes.est.raw_value', { v: f.number(op.setup_h_raw, 2) })}>
                  {f.number(op.setup_h, 2)}
                </td>
                <td className="num" title={t('quotes.est.raw_value', { v: f.number(op.cycle_min_raw, 2) })}>
                  {f.number(op.cycle_min, 2)}
                </td>
                <td className="wrap small">{op.why_fr}</td>
              </tr>
              {open === op.number && (
                <tr className="expanded-row">
                  <td colSpan={7}>
                    <div className="q-op-details">
                      <div>
                        <h4>{t('quotes.est.candidates')}</h4>
                        {op.candidates.length === 0 ? (
                          <p className="muted small">{t('quotes.est.no_candidates')}</p>
                        ) : (
                          <ul className="q-candidates">
                            {op.candidates.map((c) => (
                              <li key={c.machine_id} className={c.capable && c.available ? 'ok' : 'ko'} data-testid={`candidate-${c.machine_id}`}>
                                <div>
                                  <span className="mono">{c.code}</span> {c.name}{' '}
                                  <span className={`badge ${c.capable ? (c.available ? 'q-badge-ok' : 'badge-warn') : 'q-badge-ko'}`}>
                                    {!c.capable ? t('quotes.est.not_capable') : c.available ? t('quotes.est.capable') : t('quotes.est.unavailable')}
                                  </span>
                                  {c.cost_for_ranking != null && <span className="muted small"> {t('quotes.est.cost_for_ranking', { v: f.money(c.cost_for_ranking) })}</span>}
                                </div>
                                {c.reasons_fr.length > 0 && (
                                  <ul className="small">
                                    {c.reasons_fr.map((r, i) => (
                                      <li key={i}>{r}</li>
                                    ))}
                                  </ul>
                                )}
                              </li>
                            ))}
                          </ul>
                        )}
                      </div>
                      {op.steps.length > 0 && (
                        <div>
                          <h4>{t('quotes.est.steps')}</h4>
                          <table className="table table-compact">
                            <tbody>
                              {op.steps.map((s, i) => (
                                <tr key={i}>
                                  <td>{s.label_fr}</td>
                                  <td className="num nowrap">{t('quotes.minutes', { v: f.number(s.minutes, 2) })}</td>
                                </tr>
                              ))}
                            </tbody>
                          </table>
                        </div>
                      )}
                    </div>
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function sectionText(s: Section, mm: (v: number) => string): string {
  return s.shape === 'round' ? `Ø${mm(s.diameter)}` : `${mm(s.width)} × ${mm(s.thickness)}`;
}

function RawStockPanel({ raw }: { raw: RawStock }) {
  const { t } = useTranslation();
  const f = useFormat();
  const mm = (v: number) => f.number(v, undefined);
  return (
    <div data-testid="raw-stock">
      <p className="q-debit">
        <strong>{raw.debit_fr}</strong>
        {raw.certified_required && <span className="badge badge-warn">{t('quotes.est.certified_required')}</span>}
        {raw.bar_fed && <span className="chip">{t('quotes.est.bar_fed')}</span>}
      </p>
      <dl className="q-costs">
        <div>
          <dt>{t('quotes.est.section')}</dt>
          <dd>{sectionText(raw.section, mm)}</dd>
        </div>
        <div>
          <dt>{t('quotes.est.blank_length')}</dt>
          <dd>{t('quotes.mm', { v: mm(raw.blank_length) })}</dd>
        </div>
        <div>
          <dt>{t('quotes.est.consumed_length')}</dt>
          <dd>{t('quotes.mm', { v: mm(raw.consumed_length) })}</dd>
        </div>
        <div>
          <dt>{t('quotes.est.mass')}</dt>
          <dd>{t('quotes.kg', { v: f.number(raw.mass_kg, 3) })}</dd>
        </div>
      </dl>
      {raw.allowances_fr.length > 0 && (
        <ul className="small q-plain-list">
          {raw.allowances_fr.map((a, i) => (
            <li key={i}>{a}</li>
          ))}
        </ul>
      )}
      <h4>{t('quotes.est.proposed')}</h4>
      {raw.proposed.length === 0 ? (
        <p className="muted small">{t('quotes.est.no_proposed')}</p>
      ) : (
        <table className="table table-compact" data-testid="proposed-stock">
          <tbody>
            {raw.proposed.map((p, i) => (
              <tr key={`${p.stock_id ?? 'buy'}-${i}`}>
                <td>
                  {p.label}
                  {p.stock_id == null && <span className="chip"> {t('quotes.est.to_buy')}</span>}
                  {p.is_offcut && <span className="chip"> {t('quotes.est.offcut')}</span>}
                  {p.certified && <span className="chip"> {t('quotes.est.certified')}</span>}
                </td>
                <td className="num nowrap">{t('quotes.est.parts', { n: f.number(p.parts) })}</td>
                <td className="num nowrap">{t('quotes.per_kg', { v: f.money(p.cost_per_kg) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function TracePanel({ trace }: { trace: TraceItem[] }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState('');
  const q = filter.trim().toLowerCase();
  const rows = q
    ? trace.filter((x) => `${x.label_fr} ${x.key} ${x.formula} ${x.inputs.map((i) => i.join(' ')).join(' ')}`.toLowerCase().includes(q))
    : trace;
  return (
    <details className="panel q-trace" data-testid="trace">
      <summary>
        <Icon name="activity" size={16} /> {t('quotes.est.why_price')} <span className="muted small">({trace.length})</span>
      </summary>
      <p className="hint">{t('quotes.est.why_price_hint')}</p>
      <input type="search" className="input q-trace-filter" placeholder={t('quotes.est.trace_filter')} aria-label={t('quotes.est.trace_filter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
      <div className="table-scroll">
        <table className="table q-trace-table">
          <thead>
            <tr>
              <th>{t('quotes.est.trace_item')}</th>
              <th className="num">{t('quotes.est.trace_value')}</th>
              <th>{t('quotes.est.formula')}</th>
              <th>{t('quotes.est.inputs')}</th>
              <th>{t('quotes.est.source')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((x, i) => (
              <tr key={`${x.key}-${i}`} data-testid={`trace-${x.key}`}>
                <td>
                  {x.label_fr}
                  <div className="mono muted small">{x.key}</div>
                </td>
                <td className="num nowrap">
                  <strong>{x.value}</strong> {x.unit}
                </td>
                <td className="mono small wrap">{x.formula}</td>
                <td>
                  <span className="q-inputs">
                    {x.inputs.map(([k, v], j) => (
                      <span key={j} className="chip">
                        {k} = {v}
                      </span>
                    ))}
                  </span>
                </td>
                <td>
                  <span className={`q-source q-source-${x.source}`}>{t(`quotes.sources.${x.source}`, { defaultValue: x.source })}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function EstimatePanel({ estimate, selection, canSelect, selectHint, selecting, onSelect }: {
  estimate: Estimate;
  selection: Selection | null;
  canSelect: boolean;
  selectHint?: string;
  selecting: boolean;
  onSelect: (s: Selection) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="q-estimate" data-testid="estimate">
      <IssuesList issues={estimate.issues} />
      <section className="panel">
        <h3 className="panel-title">{t('quotes.est.breaks')}</h3>
        {estimate.breaks.length === 0 ? <p className="muted">{t('quotes.est.no_breaks')}</p> : <BreaksTable estimate={estimate} selection={selection} canSelect={canSelect} selectHint={selectHint} pending={selecting} onSelect={onSelect} />}
        {!canSelect && selectHint && <p className="hint">{selectHint}</p>}
      </section>
      <section className="panel">
        <h3 className="panel-title">
          {t('quotes.est.operations')} <span className="muted small">{t('quotes.est.programming', { v: f.number(estimate.programming_h, 2) })}</span>
        </h3>
        <OperationsTable operations={estimate.operations} />
      </section>
      <div className="q-two">
        <section className="panel">
          <h3 className="panel-title">{t('quotes.est.raw_stock')}</h3>
          {estimate.raw_stock ? <RawStockPanel raw={estimate.raw_stock} /> : <p className="muted small">{t('quotes.est.no_raw_stock')}</p>}
        </section>
        <section className="panel" data-testid="tools-to-buy">
          <h3 className="panel-title">{t('quotes.est.tools_to_buy')}</h3>
          {estimate.tools_to_buy.length === 0 ? (
            <p className="muted small">{t('quotes.est.no_tools_to_buy')}</p>
          ) : (
            <table className="table table-compact">
              <tbody>
                {estimate.tools_to_buy.map((x, i) => (
                  <tr key={i}>
                    <td>{x.label_fr}</td>
                    <td className="num nowrap">Ø{f.number(x.diameter)}</td>
                    <td className="num nowrap">{x.unit_price == null ? <span className="muted">—</span> : f.money(x.unit_price)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <TracePanel trace={estimate.trace} />
    </div>
  );
}
