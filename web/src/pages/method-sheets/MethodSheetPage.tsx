// /method-sheets/:id (?version=n for an old version, read-only) — the method sheet of one
// operation: set-up, tools with the cutting conditions the server computes on save, CAM steps,
// inspection points, safety notes and NC program; what is still "à renseigner"; versions; PDF;
// photos as attachments. Only méthode, the shop foreman and the admin edit it (`can_edit`).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { can } from '../../modules';
import { AttachmentsPanel, type AttachmentEntity } from '../../components/AttachmentsPanel';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormErrorSummary, useFormErrors } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { DownloadButton } from '../orders/components';
import { CuttingSettingsPanel } from './CuttingSettingsPanel';
import {
  condView,
  conditionsLevel,
  draftSignature,
  feedUnit,
  fromDraft,
  moveAt,
  normalizeContent,
  pointDraft,
  powerLevel,
  removeAt,
  setupHints,
  toDraft,
  toolDraft,
  textRows,
  toolEdited,
  toolHints,
  warningLevel,
  warningText,
  type DraftErrors,
  type PointDraft,
  type SheetDraft,
  type ToolDraft,
} from './logic';
import { INTENTS, TOOL_KINDS, type CuttingConditions, type MethodSheet, type SheetVersion } from './types';
import '../orders/orders.css';
import './methodSheets.css';

/** Instrument types of the inspection points (labels in jobs.instrument_types). */
const INSTRUMENT_TYPES = ['pied_a_coulisse', 'micrometre', 'comparateur', 'tampon_lisse', 'bague_lisse', 'tampon_filete', 'bague_filetee', 'rugosimetre', 'mmt'];

/** Attachments of a method sheet (photos of the set-up): the record's UI path segment. */
export const METHOD_SHEET_ENTITY = 'method-sheets';

function useSheet(id: string, version: string | null) {
  return useQuery({
    queryKey: ['method-sheet', id, version],
    queryFn: async () => {
      const s = await api<MethodSheet>(version ? `/method-sheets/${id}/versions/${version}` : `/method-sheets/${id}`);
      return { ...s, content: normalizeContent(s.content) };
    },
  });
}

function Section({ title, children, testId, actions }: { title: string; children: ReactNode; testId: string; actions?: ReactNode }) {
  return (
    <section className="panel ms-section" data-testid={testId} aria-label={title}>
      <div className="ms-section-head">
        <h3 className="panel-title">{title}</h3>
        {actions}
      </div>
      {children}
    </section>
  );
}

function ToFill() {
  const { t } = useTranslation();
  return <span className="ms-todo">{t('methodSheets.to_fill')}</span>;
}

// ---- set-up -----------------------------------------------------------------------------------

function SetupSection({ d, set, ro }: { d: SheetDraft; set: (s: SheetDraft['setup']) => void; ro: boolean }) {
  const { t } = useTranslation();
  const hints = setupHints(d.setup);
  const field = (k: keyof SheetDraft['setup'], rows: number) => {
    const empty = hints.includes(k as (typeof hints)[number]);
    const id = `ms-setup-${k}`;
    return (
      <div className={`field ${empty ? 'ms-empty' : ''}`} data-testid={`setup-${k}`}>
        <label className="field-label" htmlFor={id}>
          {t(`methodSheets.setup.${k}`)} {empty && <ToFill />}
        </label>
        <textarea id={id} className="input" rows={textRows(d.setup[k], rows, 8, 60)} readOnly={ro} value={d.setup[k]} placeholder={ro ? '' : t(`methodSheets.setup.${k}_placeholder`)} onChange={(e) => set({ ...d.setup, [k]: e.target.value })} data-testid={`input-setup-${k}`} />
      </div>
    );
  };
  return (
    <Section title={t('methodSheets.sections.setup')} testId="section-setup">
      <div className="form-grid">
        {field('fixturing', 2)}
        {field('datums', 2)}
        {field('zero_point', 2)}
        {field('notes', 2)}
      </div>
    </Section>
  );
}

// ---- tools ----------------------------------------------------------------------------------

function Conditions({ c }: { c: CuttingConditions | null | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  const v = condView(c);
  if (!v) return <span className="muted small">{t('methodSheets.tools.no_conditions')}</span>;
  const feed = feedUnit(v.feedKind);
  const power = powerLevel(v.power, v.machinePower);
  const withUnit = (x: number | null, d: number, unit: string) =>
    x == null ? (
      <ToFill />
    ) : (
      <>
        {f.number(x, d)} <span className="muted">{unit}</span>
      </>
    );
  return (
    <div className="ms-cond">
      <dl className="ms-cond-values">
        <div>
          <dt>Vc</dt>
          <dd data-testid="cond-vc">{withUnit(v.vc, 0, 'm/min')}</dd>
        </div>
        <div>
          <dt>{feed.symbol}</dt>
          <dd data-testid="cond-feed">{withUnit(v.feed, v.feed != null && v.feed < 0.01 ? 4 : 3, feed.unit)}</dd>
        </div>
        <div>
          <dt>n</dt>
          <dd data-testid="cond-n">{withUnit(v.n, 0, 'tr/min')}</dd>
        </div>
        <div>
          <dt>Vf</dt>
          <dd data-testid="cond-vf">{withUnit(v.vf, 0, 'mm/min')}</dd>
        </div>
        {v.ap != null && (
          <div>
            <dt>ap</dt>
            <dd data-testid="cond-ap">
              {f.number(v.ap, 2)} <span className="muted">mm</span>
            </dd>
          </div>
        )}
        {v.ae != null && (
          <div>
            <dt>ae</dt>
            <dd data-testid="cond-ae">
              {f.number(v.ae, 2)} <span className="muted">mm</span>
            </dd>
          </div>
        )}
        <div>
          <dt>Q</dt>
          <dd data-testid="cond-q">
            {v.q == null ? '—' : f.number(v.q)} <span className="muted">cm³/min</span>
          </dd>
        </div>
        <div className={`ms-power ms-power-${power}`} data-testid="cond-power" data-level={power}>
          <dt>{t('methodSheets.tools.power')}</dt>
          <dd>
            {v.power == null ? '—' : f.number(v.power, 2)} / {v.machinePower == null ? <ToFill /> : f.number(v.machinePower, 1)} <span className="muted">kW</span>
          </dd>
        </div>
        <div>
          <dt>{t('methodSheets.tools.source')}</dt>
          <dd data-testid="cond-source">{v.sourceLabel ?? (v.source ? t(`methodSheets.sources.${v.source}`, { defaultValue: v.source }) : '—')}</dd>
        </div>
      </dl>
      {v.toFill.length > 0 && (
        <div className="small ms-tofill" data-testid="cond-to-fill">
          <ToFill /> {v.toFill.join(', ')}
        </div>
      )}
      {v.warnings.length > 0 && (
        <ul className="ms-warnings">
          {v.warnings.map((w, i) => (
            <li key={i} className={`ms-warn ms-warn-${warningLevel(w)}`} data-testid="cond-warning" data-level={warningLevel(w)}>
              <Icon name="alert" size={14} /> {warningText(w)}
            </li>
          ))}
        </ul>
      )}
      {v.adjustments.length > 0 && (
        <details className="ms-adjust-box small">
          <summary className="muted">{t('methodSheets.tools.adjustments', { count: v.adjustments.length })}</summary>
          <ul className="ms-adjust muted">
            {v.adjustments.map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function ToolsSection({ d, setTools, ro, errors, conditionsFor }: { d: SheetDraft; setTools: (t: ToolDraft[]) => void; ro: boolean; errors: DraftErrors; conditionsFor: (t: ToolDraft) => CuttingConditions | null | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  const upd = (i: number, patch: Partial<ToolDraft>) => setTools(d.tools.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const num = (tool: ToolDraft, i: number, k: 'diameter' | 'teeth' | 'work_diameter' | 'ap' | 'ae' | 'vc' | 'feed', hints: string[]) => {
    const err = errors[`tools.${i}.${k}`];
    return (
      <td className={`num ${hints.includes(k) ? 'ms-empty' : ''}`}>
        <input
          className={`input input-sm num ms-w-num ms-w-${k}`}
          inputMode="decimal"
          aria-label={t(`methodSheets.tools.${k}_for`, { n: tool.position || i + 1 })}
          aria-invalid={err ? true : undefined}
          readOnly={ro}
          placeholder={hints.includes(k) && !ro ? t('methodSheets.to_fill') : ''}
          value={tool[k]}
          onChange={(e) => upd(i, { [k]: e.target.value })}
          data-testid={`tool-${i}-${k}`}
        />
      </td>
    );
  };
  return (
    <Section
      title={t('methodSheets.sections.tools')}
      testId="section-tools"
      actions={
        !ro && (
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => setTools([...d.tools, toolDraft(null)])} data-testid="add-tool">
            <Icon name="plus" size={14} /> {t('methodSheets.tools.add')}
          </button>
        )
      }
    >
      {d.tools.length === 0 ? (
        <p className="muted small">{t('methodSheets.tools.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table ms-tools" data-testid="tools-table">
            <thead>
              <tr>
                <th>{t('methodSheets.tools.position')}</th>
                <th>{t('methodSheets.tools.label')}</th>
                <th>{t('methodSheets.tools.kind')}</th>
                <th className="num">Ø</th>
                <th className="num">z</th>
                <th>{t('methodSheets.tools.intent')}</th>
                <th className="num">{t('methodSheets.tools.work_diameter')}</th>
                <th className="num">ap</th>
                <th className="num">ae</th>
                <th className="num" title={t('methodSheets.tools.forced_hint')}>{t('methodSheets.tools.vc_forced')}</th>
                <th className="num" title={t('methodSheets.tools.forced_hint')}>{t('methodSheets.tools.feed_forced')}</th>
                {!ro && <th aria-label={t('methodSheets.actions')} />}
              </tr>
            </thead>
            {d.tools.map((tool, i) => {
              const hints = toolHints(tool);
              const cond = conditionsFor(tool);
              const level = conditionsLevel(cond);
              return (
                <tbody key={tool.key} className={`ms-tool ${level ? `ms-tool-${level}` : ''}`} data-testid={`tool-${i}`}>
                  <tr>
                    <td>
                      <input className="input input-sm mono ms-w-pos" aria-label={t('methodSheets.tools.position_for', { n: i + 1 })} readOnly={ro} value={tool.position} onChange={(e) => upd(i, { position: e.target.value })} data-testid={`tool-${i}-position`} />
                    </td>
                    <td>
                      <input
                        className="input input-sm ms-w-label"
                        aria-label={t('methodSheets.tools.label_for', { n: tool.position || i + 1 })}
                        aria-invalid={errors[`tools.${i}.label`] ? true : undefined}
                        readOnly={ro}
                        title={tool.label}
                        value={tool.label}
                        onChange={(e) => upd(i, { label: e.target.value })}
                        data-testid={`tool-${i}-label`}
                      />
                    </td>
                    <td>
                      <select className="input input-sm ms-w-kind" aria-label={t('methodSheets.tools.kind_for', { n: tool.position || i + 1 })} disabled={ro} value={tool.kind} onChange={(e) => upd(i, { kind: e.target.value })} data-testid={`tool-${i}-kind`}>
                        <option value="">—</option>
                        {!TOOL_KINDS.includes(tool.kind as (typeof TOOL_KINDS)[number]) && tool.kind && <option value={tool.kind}>{tool.kind}</option>}
                        {TOOL_KINDS.map((k) => (
                          <option key={k} value={k}>
                            {t(`methodSheets.tool_kinds.${k}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    {num(tool, i, 'diameter', hints)}
                    {num(tool, i, 'teeth', hints)}
                    <td>
                      <select className="input input-sm ms-w-intent" aria-label={t('methodSheets.tools.intent_for', { n: tool.position || i + 1 })} disabled={ro} value={tool.intent} onChange={(e) => upd(i, { intent: e.target.value })} data-testid={`tool-${i}-intent`}>
                        {INTENTS.map((k) => (
                          <option key={k} value={k}>
                            {t(`methodSheets.intents.${k}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    {num(tool, i, 'work_diameter', hints)}
                    {num(tool, i, 'ap', hints)}
                    {num(tool, i, 'ae', hints)}
                    {num(tool, i, 'vc', hints)}
                    {num(tool, i, 'feed', hints)}
                    {!ro && (
                      <td className="nowrap ms-tool-actions">
                        <button type="button" className="icon-btn" disabled={i === 0} onClick={() => setTools(moveAt(d.tools, i, -1))} aria-label={t('methodSheets.move_up')} data-testid={`tool-${i}-up`}>
                          <Icon name="chevron_up" size={14} />
                        </button>
                        <button type="button" className="icon-btn" disabled={i === d.tools.length - 1} onClick={() => setTools(moveAt(d.tools, i, 1))} aria-label={t('methodSheets.move_down')} data-testid={`tool-${i}-down`}>
                          <Icon name="chevron_down" size={14} />
                        </button>
                        <button type="button" className="icon-btn" onClick={() => setTools(removeAt(d.tools, i))} aria-label={t('methodSheets.tools.remove', { n: tool.position || i + 1 })} data-testid={`tool-${i}-remove`}>
                          <Icon name="trash" size={14} />
                        </button>
                      </td>
                    )}
                  </tr>
                  <tr className="ms-cond-row">
                    <td colSpan={ro ? 11 : 12} data-testid={`tool-${i}-conditions`}>
                      {!ro && tool.original && toolEdited(tool, f.lang) && (
                        <div className="small ms-stale" data-testid={`tool-${i}-stale`}>
                          {t('methodSheets.tools.stale')}
                        </div>
                      )}
                      <Conditions c={cond} />
                    </td>
                  </tr>
                </tbody>
              );
            })}
          </table>
        </div>
      )}
      {!ro && <p className="hint">{t('methodSheets.tools.recompute_hint')}</p>}
    </Section>
  );
}

// ---- lists of text ---------------------------------------------------------------------------

function TextList({ items, set, ro, title, testId, addLabel, placeholder, ordered }: { items: string[]; set: (l: string[]) => void; ro: boolean; title: string; testId: string; addLabel: string; placeholder: string; ordered: boolean }) {
  const { t } = useTranslation();
  const List = ordered ? 'ol' : 'ul';
  return (
    <Section
      title={title}
      testId={testId}
      actions={
        !ro && (
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => set([...items, ''])} data-testid={`${testId}-add`}>
            <Icon name="plus" size={14} /> {addLabel}
          </button>
        )
      }
    >
      {items.length === 0 ? (
        <p className="muted small">
          <ToFill />
        </p>
      ) : (
        <List className="ms-list">
          {items.map((s, i) => (
            <li key={i} data-testid={`${testId}-${i}`}>
              {ordered && <span className="ms-list-n">{i + 1}.</span>}
              {ro ? (
                <span className="ms-list-text">{s}</span>
              ) : (
                <>
                  <input className="input input-sm" aria-label={`${title} ${i + 1}`} placeholder={placeholder} value={s} onChange={(e) => set(items.map((x, j) => (j === i ? e.target.value : x)))} data-testid={`${testId}-${i}-input`} />
                  {ordered && (
                    <>
                      <button type="button" className="icon-btn" disabled={i === 0} onClick={() => set(moveAt(items, i, -1))} aria-label={t('methodSheets.move_up')} data-testid={`${testId}-${i}-up`}>
                        <Icon name="chevron_up" size={14} />
                      </button>
                      <button type="button" className="icon-btn" disabled={i === items.length - 1} onClick={() => set(moveAt(items, i, 1))} aria-label={t('methodSheets.move_down')} data-testid={`${testId}-${i}-down`}>
                        <Icon name="chevron_down" size={14} />
                      </button>
                    </>
                  )}
                  <button type="button" className="icon-btn" onClick={() => set(removeAt(items, i))} aria-label={t('methodSheets.remove')} data-testid={`${testId}-${i}-remove`}>
                    <Icon name="trash" size={14} />
                  </button>
                </>
              )}
            </li>
          ))}
        </List>
      )}
    </Section>
  );
}

function InspectionSection({ points, set, ro, errors }: { points: PointDraft[]; set: (p: PointDraft[]) => void; ro: boolean; errors: DraftErrors }) {
  const { t } = useTranslation();
  const upd = (i: number, patch: Partial<PointDraft>) => set(points.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const instrument = (p: PointDraft, i: number) => (
    <td>
      <select className="input input-sm" aria-label={t('methodSheets.inspection.instrument_type_for', { n: i + 1 })} disabled={ro} value={p.instrument_type} onChange={(e) => upd(i, { instrument_type: e.target.value })} data-testid={`point-${i}-instrument_type`}>
        <option value="">—</option>
        {p.instrument_type && !INSTRUMENT_TYPES.includes(p.instrument_type) && <option value={p.instrument_type}>{p.instrument_type}</option>}
        {INSTRUMENT_TYPES.map((k) => (
          <option key={k} value={k}>
            {t(`jobs.instrument_types.${k}`)}
          </option>
        ))}
      </select>
    </td>
  );
  const cell = (p: PointDraft, i: number, k: 'characteristic' | 'nominal' | 'tolerance' | 'frequency') => (
    <td>
      <input
        className={`input input-sm ${k === 'characteristic' ? 'ms-w-label' : ''}`}
        aria-label={t(`methodSheets.inspection.${k}_for`, { n: i + 1 })}
        aria-invalid={errors[`inspection_points.${i}.${k}`] ? true : undefined}
        readOnly={ro}
        value={p[k]}
        onChange={(e) => upd(i, { [k]: e.target.value })}
        data-testid={`point-${i}-${k}`}
      />
    </td>
  );
  return (
    <Section
      title={t('methodSheets.sections.inspection')}
      testId="section-inspection"
      actions={
        !ro && (
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => set([...points, pointDraft(null)])} data-testid="add-point">
            <Icon name="plus" size={14} /> {t('methodSheets.inspection.add')}
          </button>
        )
      }
    >
      {points.length === 0 ? (
        <p className="muted small">
          <ToFill />
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table ms-points" data-testid="points-table">
            <thead>
              <tr>
                <th>{t('methodSheets.inspection.characteristic')}</th>
                <th>{t('methodSheets.inspection.nominal')}</th>
                <th>{t('methodSheets.inspection.tolerance')}</th>
                <th>{t('methodSheets.inspection.instrument_type')}</th>
                <th>{t('methodSheets.inspection.frequency')}</th>
                {!ro && <th aria-label={t('methodSheets.actions')} />}
              </tr>
            </thead>
            <tbody>
              {points.map((p, i) => (
                <tr key={p.key} data-testid={`point-${i}`}>
                  {cell(p, i, 'characteristic')}
                  {cell(p, i, 'nominal')}
                  {cell(p, i, 'tolerance')}
                  {instrument(p, i)}
                  {cell(p, i, 'frequency')}
                  {!ro && (
                    <td>
                      <button type="button" className="icon-btn" onClick={() => set(removeAt(points, i))} aria-label={t('methodSheets.inspection.remove', { n: i + 1 })} data-testid={`point-${i}-remove`}>
                        <Icon name="trash" size={14} />
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

// ---- versions ---------------------------------------------------------------------------------

function VersionsList({ sheet, viewing }: { sheet: MethodSheet; viewing: number | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({ queryKey: ['method-sheet-versions', sheet.id, sheet.version], queryFn: () => api<SheetVersion[]>(`/method-sheets/${sheet.id}/versions`) });
  const list = [...(q.data ?? [])].sort((a, b) => b.version - a.version);
  const current = Math.max(sheet.version, ...list.map((v) => v.version));
  return (
    <section className="panel ms-versions" data-testid="sheet-versions">
      <h3 className="panel-title">{t('methodSheets.versions')}</h3>
      {q.isPending && <p className="muted small">{t('common.loading')}</p>}
      {q.isError && <ErrorBanner error={q.error} />}
      <ol className="ms-version-list">
        {list.map((v) => {
          const isCurrent = v.version === current;
          const shown = viewing == null ? isCurrent : v.version === viewing;
          return (
            <li key={v.version} className={shown ? 'is-shown' : ''} data-testid={`sheet-version-${v.version}`}>
              <div>
                <strong>v{v.version}</strong> {isCurrent && <span className="badge ms-current">{t('methodSheets.current')}</span>}
                <div className="muted small">{t('methodSheets.version_by', { who: v.changed_by, when: f.dateTime(v.created_at) })}</div>
                {v.summary && <div className="small">{v.summary}</div>}
              </div>
              {!shown && (
                <Link to={isCurrent ? `/method-sheets/${sheet.id}` : `/method-sheets/${sheet.id}?version=${v.version}`} className="btn btn-secondary btn-sm" data-testid={`view-version-${v.version}`}>
                  {t('methodSheets.view')}
                </Link>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

// ---- page -------------------------------------------------------------------------------------

function SheetEditor({ sheet, onSaved }: { sheet: MethodSheet; onSaved: (s: MethodSheet) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const f = useFormat();
  const toast = useToast();
  const history = sheet.history_version != null;
  const ro = !sheet.can_edit || history;
  const [base, setBase] = useState(sheet);
  const [d, setD] = useState<SheetDraft>(() => toDraft(sheet.content, f.lang));
  const [baseSig, setBaseSig] = useState(() => draftSignature(toDraft(sheet.content, f.lang)));
  const [summary, setSummary] = useState('');
  const [tried, setTried] = useState(false);
  const form = useFormErrors(['content', 'summary', 'version']);
  const dirty = !ro && draftSignature(d) !== baseSig;
  const reset = (s: MethodSheet) => {
    const nd = toDraft(s.content, f.lang);
    setBase(s);
    setD(nd);
    setBaseSig(draftSignature(nd));
  };
  if (base !== sheet && !dirty) reset(sheet);
  const built = fromDraft(d);
  const errors = tried ? built.errors : {};
  const save = useMutation({
    mutationFn: () => api<MethodSheet>(`/method-sheets/${sheet.id}`, { method: 'PUT', body: summary.trim() ? { version: sheet.version, content: built.content, summary: summary.trim() } : { version: sheet.version, content: built.content } }),
    onSuccess: (s) => {
      const n = { ...s, content: normalizeContent(s.content) };
      toast.show(t('methodSheets.saved', { v: n.version }));
      setSummary('');
      setTried(false);
      reset(n);
      onSaved(n);
    },
    onError: form.setError,
  });
  const submit = () => {
    setTried(true);
    form.setError(null);
    if (Object.keys(built.errors).length > 0) return;
    save.mutate();
  };
  // Conditions shown next to a tool: those the server computed for the tool it came from.
  const conditionsFor = (tool: ToolDraft) => tool.original?.conditions ?? null;
  const op = sheet.operation;
  const canRoutings = can(me, 'routings', 'read');
  return (
    <div className="page ms-page" data-testid="method-sheet">
      <PageHeader
        crumbs={
          // An operator reads method sheets but not the routings: no links to them then.
          canRoutings
            ? [{ label: t('jobs.title'), to: '/jobs' }, { label: sheet.job_number, to: `/jobs/${sheet.job_id}` }, { label: t('methodSheets.title_op', { n: op.position }) }]
            : [{ label: `${sheet.job_number} · ${t('methodSheets.title_op', { n: op.position })}` }]
        }
        actions={
          <>
            {!ro && (
              <>
                <input className="input ms-summary" placeholder={t('methodSheets.summary_placeholder')} aria-label={t('methodSheets.summary')} value={summary} onChange={(e) => setSummary(e.target.value)} data-testid="summary" />
                <button type="button" className="btn btn-primary" disabled={!dirty || save.isPending} onClick={submit} data-testid="save">
                  {save.isPending ? t('common.saving') : t('common.save')}
                </button>
                {dirty && (
                  <>
                    <button type="button" className="btn btn-secondary" disabled={save.isPending} onClick={() => { reset(sheet); setTried(false); form.setError(null); }} data-testid="discard">
                      {t('common.discard')}
                    </button>
                    <span className="unsaved">{t('common.unsaved')}</span>
                  </>
                )}
              </>
            )}
            {history && (
              <Link to={`/method-sheets/${sheet.id}`} className="btn btn-secondary" data-testid="back-to-current">
                {t('methodSheets.back_to_current')}
              </Link>
            )}
            <DownloadButton path={`/method-sheets/${sheet.id}/pdf`} fallbackName={`${sheet.job_number}-op${op.position}-fiche-methode.pdf`} label={t('methodSheets.pdf')} testId="sheet-pdf" />
          </>
        }
      />
      {history && (
        <div className="banner banner-info" role="note" data-testid="history-banner">
          <Icon name="activity" size={20} />
          <div className="banner-body">
            <strong>{t('methodSheets.history_banner', { v: sheet.history_version })}</strong>
          </div>
        </div>
      )}
      {!sheet.can_edit && !history && (
        <div className="banner banner-info" role="note" data-testid="read-only-note">
          <Icon name="lock" size={20} />
          <div className="banner-body">
            <strong>{t('methodSheets.read_only')}</strong>
          </div>
        </div>
      )}
      <FormErrorSummary error={form.error} unmatched={form.unmatched} onReload={() => { reset(sheet); form.setError(null); }} />
      {tried && Object.keys(built.errors).length > 0 && (
        <div className="banner banner-error" role="alert" data-testid="local-errors">
          <Icon name="alert" size={20} />
          <div className="banner-body">
            <strong>{t('methodSheets.fix_errors')}</strong>
          </div>
        </div>
      )}
      <div className="ms-layout">
        <div className="ms-main">
          <div className="sheet panel ms-head" data-testid="sheet-head">
            <div className="sheet-title">
              <h2>
                <span className="mono">{sheet.job_number}</span> · {t('methodSheets.op', { n: op.position })} — {op.label}
              </h2>
              <span className="badge ms-version">v{history ? sheet.history_version : sheet.version}</span>
            </div>
            <dl className="meta">
              <div>
                <dt>{t('methodSheets.part')}</dt>
                <dd>
                  <span className="mono">{sheet.part.reference ?? '—'}</span>
                  {sheet.part.revision && <span className="muted"> {t('orders.ind', { rev: sheet.part.revision })}</span>} {sheet.part.designation}
                </dd>
              </div>
              <div>
                <dt>{t('methodSheets.grade')}</dt>
                <dd>{sheet.part.grade ?? <ToFill />}</dd>
              </div>
              <div>
                <dt>{t('methodSheets.machine')}</dt>
                <dd data-testid="sheet-machine">{op.machine_code ? `${op.machine_code}${op.machine_name ? ` — ${op.machine_name}` : ''}` : <ToFill />}</dd>
              </div>
              <div>
                <dt>{t('methodSheets.updated')}</dt>
                <dd>{sheet.updated_at ? t('methodSheets.updated_by', { who: sheet.updated_by ?? '', when: f.dateTime(sheet.updated_at) }) : '—'}</dd>
              </div>
            </dl>
          </div>
          {sheet.missing.length > 0 && (
            <section className="panel ms-missing" data-testid="missing-box" aria-label={t('methodSheets.missing_title')}>
              <h3 className="panel-title">
                <Icon name="alert" size={16} /> {t('methodSheets.missing_title')} <span className="muted">({sheet.missing.length})</span>
              </h3>
              <ul>
                {sheet.missing.map((m, i) => (
                  <li key={i}>{m}</li>
                ))}
              </ul>
            </section>
          )}
          <SetupSection d={d} set={(setup) => setD({ ...d, setup })} ro={ro} />
          <ToolsSection d={d} setTools={(tools) => setD({ ...d, tools })} ro={ro} errors={errors} conditionsFor={conditionsFor} />
          <TextList items={d.cam_steps} set={(cam_steps) => setD({ ...d, cam_steps })} ro={ro} title={t('methodSheets.sections.cam')} testId="cam-steps" addLabel={t('methodSheets.cam.add')} placeholder={t('methodSheets.cam.placeholder')} ordered />
          <InspectionSection points={d.inspection_points} set={(inspection_points) => setD({ ...d, inspection_points })} ro={ro} errors={errors} />
          <TextList items={d.safety_notes} set={(safety_notes) => setD({ ...d, safety_notes })} ro={ro} title={t('methodSheets.sections.safety')} testId="safety-notes" addLabel={t('methodSheets.safety.add')} placeholder={t('methodSheets.safety.placeholder')} ordered={false} />
          <Section title={t('methodSheets.sections.nc')} testId="section-nc">
            <input className="input mono ms-nc" aria-label={t('methodSheets.sections.nc')} readOnly={ro} value={d.nc_program} placeholder={ro ? '' : t('methodSheets.nc_placeholder')} onChange={(e) => setD({ ...d, nc_program: e.target.value })} data-testid="input-nc_program" />
            {d.nc_program.trim() === '' && (
              <div className="small">
                <ToFill />
              </div>
            )}
          </Section>
        </div>
        <div className="ms-bottom">
          <VersionsList sheet={sheet} viewing={history ? (sheet.history_version ?? null) : null} />
          {/* The attachments API names records by UI path segment; method sheets are not in the shared list yet. */}
          <div className="ms-side-stack">
            <AttachmentsPanel entity={METHOD_SHEET_ENTITY as AttachmentEntity} entityId={sheet.id} title={t('methodSheets.photos')} defaultKind="photo" />
            <CuttingSettingsPanel />
          </div>
        </div>
      </div>
    </div>
  );
}

export function MethodSheetPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const version = params.get('version');
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useSheet(id, version);
  // An old version is read-only: mark it even if the server left `history_version` out. Memoised so
  // the editor sees the same object until the data changes.
  const sheet = useMemo(() => (q.data && version && q.data.history_version == null ? { ...q.data, history_version: Number(version) } : q.data), [q.data, version]);
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: t('jobs.title'), to: '/jobs' }, { label: t('methodSheets.title') }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  if (!sheet) return null;
  return (
    <SheetEditor
      key={`${sheet.id}-${version ?? 'current'}`}
      sheet={sheet}
      onSaved={(s) => {
        qc.setQueryData(['method-sheet', id, null], s);
        void qc.invalidateQueries({ queryKey: ['job', String(s.job_id)] });
      }}
    />
  );
}
