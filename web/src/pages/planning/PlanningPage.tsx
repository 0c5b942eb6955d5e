// /planning and /planning/propositions/:id — the Gantt of the current plan (machine and/or person
// rows, day/week/month), manual moves by drag-and-drop with live checks (or the "Déplacer…"
// dialog), "Recalculer le planning", "Déclarer une absence", and the proposals panel whose
// opened proposal is drawn as ghost bars. Operators see the same plan read-only.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, isApiError } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner, useErrorText } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { useIsPhone } from '../../lib/useMediaQuery';
import { can } from '../../modules';
import { checkMove, type ClientViolation } from './checks';
import { AbsenceDialog, MoveDialog, absenceDefaults } from './dialogs';
import { GanttChart, type GanttHandle, type GanttWindow } from './GanttChart';
import { barLabel, buildGroups, buildItems, fetchRange, nightHours, opsSpan, shiftAnchor, targetFor, zoomWindow, type GanttItem, type RowsView, type Zoom } from './gantt';
import { refusalText } from './logic';
import { PlanningTabs } from './PlanningTabs';
import { DiagnosticList, ProposalDetail, ProposalList, isStaleError } from './ProposalPanel';
import { toLocalDay, toLocalIso } from './time';
import type { Board, PlanningSettings, Proposal, ProposalSummary, UnavailabilityCreated } from './types';
import './planning.css';

export const BOARD_KEY = ['planning', 'board'];
const PROPOSALS_KEY = ['planning', 'proposals'];
const VIEW_KEY = 'usinage.planning.view';

function storedView(): RowsView {
  try {
    const v = localStorage.getItem(VIEW_KEY);
    return v === 'machines' || v === 'people' || v === 'both' ? v : 'both';
  } catch {
    return 'both';
  }
}

function todayIn(w: GanttWindow): boolean {
  const now = Date.now();
  return w.start.getTime() <= now && now < w.end.getTime();
}

interface Live {
  label: string;
  violations: ClientViolation[];
}

export function PlanningPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const errText = useErrorText();
  const navigate = useNavigate();
  const isPhone = useIsPhone();
  const params = useParams();
  const proposalId = params.id ? Number(params.id) : null;
  const canCreate = can(me, 'planning', 'create');
  const canValidate = can(me, 'planning', 'validate');
  const editable = canCreate && !isPhone;

  const [view, setViewState] = useState<RowsView>(() => (isPhone ? 'machines' : storedView()));
  const setView = (v: RowsView) => {
    setViewState(v);
    try {
      localStorage.setItem(VIEW_KEY, v);
    } catch {
      /* private mode */
    }
  };
  const [zoom, setZoom] = useState<Zoom>(isPhone ? 'day' : 'week');
  const [win, setWin] = useState<GanttWindow>(() => zoomWindow(isPhone ? 'day' : 'week', new Date()));
  const gantt = useRef<GanttHandle | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [live, setLive] = useState<Live | null>(null);
  const [refusal, setRefusal] = useState<{ label: string; text: string } | null>(null);
  const [syncKey, setSyncKey] = useState(0);
  const [dialog, setDialog] = useState<'move' | 'absence' | null>(null);

  const goTo = useCallback((z: Zoom, a: Date) => {
    const w = zoomWindow(z, a);
    setZoom(z);
    setWin(w);
    gantt.current?.setWindow(w.start, w.end);
  }, []);

  const range = fetchRange(win);
  const boardQ = useQuery({
    queryKey: [...BOARD_KEY, range.from, range.to],
    queryFn: () => api<Board>('/planning/board', { query: range }),
    placeholderData: keepPreviousData,
    // Not while a bar is being dragged: a refresh would put it back under the mouse.
    refetchInterval: live ? false : 120_000,
  });
  const board = boardQ.data;

  const listQ = useQuery({
    queryKey: [...PROPOSALS_KEY, 'en_attente'],
    queryFn: () => api<ProposalSummary[]>('/planning/proposals', { query: { status: 'en_attente' } }),
    enabled: canCreate || canValidate,
  });
  const propQ = useQuery({
    queryKey: [...PROPOSALS_KEY, proposalId],
    queryFn: () => api<Proposal>(`/planning/proposals/${proposalId}`),
    enabled: proposalId != null,
  });
  const proposal = proposalId != null ? (propQ.data ?? null) : null;

  // Frame the Gantt on an opened proposal when none of it is in view.
  const framed = useRef<number | null>(null);
  useEffect(() => {
    if (!proposal || framed.current === proposal.id) return;
    framed.current = proposal.id;
    const span = opsSpan(proposal.ops);
    if (span && (span.start >= win.end || span.end <= win.start)) {
      // The timeline reports its new window through onWindow (rangechanged).
      const w = zoomWindow(zoom, span.start);
      gantt.current?.setWindow(w.start, w.end);
    }
  }, [proposal, win, zoom]);

  const tr = useCallback((key: string, p?: Record<string, string | number>) => t(`planning.${key}`, { ...p, defaultValue: key.startsWith('status.') ? key.slice(7) : key }), [t]);
  const groups = useMemo(() => (board ? buildGroups(board, view, tr) : []), [board, view, tr]);
  const items = useMemo(() => (board ? buildItems(board, view, { editable, tr, proposal }) : []), [board, view, editable, tr, proposal]);

  const settingsQ = useQuery({ queryKey: ['planning', 'settings'], queryFn: () => api<PlanningSettings>('/planning/settings'), staleTime: 5 * 60_000 });
  const night = useMemo(() => nightHours(settingsQ.data?.shop_shifts ?? []), [settingsQ.data]);

  const invalidate = useCallback(() => {
    void qc.invalidateQueries({ queryKey: ['planning'] });
  }, [qc]);

  const violationText = useCallback((v: ClientViolation) => t(`planning.check.${v.key}`, v.params), [t]);

  const onMoving = useCallback(
    (item: GanttItem): string => {
      if (!board || !item.op) return '';
      const target = targetFor(item.op, item.group, item.start, item.end);
      const violations = checkMove(board, target);
      setLive({ label: barLabel(item.op), violations });
      return violations.length > 0 ? 'pl-conflict' : '';
    },
    [board],
  );

  const moveMut = useMutation({
    mutationFn: (body: { op_id: number; machine_id: number | null; person_id: number | null; start: string }) =>
      api<{ revision: number }>('/planning/moves', { method: 'POST', body }),
  });

  const onDrop = useCallback(
    (item: GanttItem) => {
      setLive(null);
      if (!item.op) return;
      const op = item.op;
      const target = targetFor(op, item.group, item.start, item.end);
      const label = barLabel(op);
      setRefusal(null);
      moveMut.mutate(
        { op_id: op.op_id, machine_id: target.machine_id, person_id: target.person_id, start: toLocalIso(target.start) },
        {
          onSuccess: (r) => {
            toast.show(t('planning.move_done', { rev: r.revision }));
            invalidate();
          },
          onError: (e) => {
            setRefusal({ label, text: refusalText(e, errText) });
            setSyncKey((k) => k + 1); // the bar goes back where the server keeps it
            if (isApiError(e) && e.status === 409) invalidate();
          },
        },
      );
    },
    [moveMut, toast, t, invalidate, errText],
  );

  const recompute = useMutation({
    mutationFn: (jobId?: number) =>
      api<Proposal>('/planning/proposals', { method: 'POST', body: jobId == null ? { trigger: 'manuel' } : { trigger: 'urgence', job_id: jobId } }),
    onSuccess: (p) => {
      toast.show(t('planning.proposals.created', { number: p.number }));
      qc.setQueryData([...PROPOSALS_KEY, p.id], p);
      void qc.invalidateQueries({ queryKey: PROPOSALS_KEY });
      void navigate(`/planning/propositions/${p.id}`);
    },
  });

  const decide = useMutation({
    mutationFn: ({ id, action, note }: { id: number; action: 'accept' | 'reject'; note: string }) =>
      api<Proposal>(`/planning/proposals/${id}/${action}`, { method: 'POST', body: { note: note.trim() || null } }),
    onSuccess: (p, v) => {
      toast.show(v.action === 'accept' ? t('planning.proposals.accepted') : t('planning.proposals.rejected'));
      invalidate();
      void navigate('/planning');
      if (v.action === 'accept') {
        const span = opsSpan(p.ops);
        if (span && (span.start >= win.end || span.end <= win.start)) goTo(zoom, span.start);
      }
    },
    onError: (e) => {
      if (isStaleError(e)) invalidate();
    },
  });

  const unpin = useMutation({
    mutationFn: (opId: number) => api<{ revision: number }>(`/planning/moves/${opId}/unpin`, { method: 'POST' }),
    onSuccess: () => {
      toast.show(t('planning.unpinned'));
      invalidate();
    },
  });

  const onAbsence = (r: UnavailabilityCreated) => {
    setDialog(null);
    invalidate();
    if (r.applied) toast.show(t('planning.absence.applied'));
    else if (r.proposal) {
      toast.show(t('planning.absence.repair', { number: r.proposal.number }));
      qc.setQueryData([...PROPOSALS_KEY, r.proposal.id], r.proposal);
      void navigate(`/planning/propositions/${r.proposal.id}`);
    } else toast.show(t('planning.absence.no_repair'));
  };

  const selectedOp = board?.ops.find((o) => o.op_id === selected) ?? null;
  const lang = i18n.language === 'en' ? 'en' : 'fr';
  const showPanel = canCreate || canValidate;
  const pendingCount = listQ.data?.length ?? board?.pending_proposals ?? 0;

  return (
    <div className="page pl-page" data-testid="planning-page">
      <PageHeader
        crumbs={[{ label: t('planning.title') }]}
        actions={
          <>
            {board && (
              <span className="small muted" data-testid="plan-revision">
                {t('planning.revision', { rev: board.revision })}
              </span>
            )}
            {canCreate && (
              <>
                <button type="button" className="btn btn-primary" onClick={() => {
                    setRefusal(null);
                    recompute.mutate(undefined);
                  }} disabled={recompute.isPending} data-testid="plan-recompute">
                  <Icon name="refresh" size={16} /> {recompute.isPending ? t('planning.recomputing') : t('planning.recompute')}
                </button>
                <button type="button" className="btn btn-secondary" onClick={() => {
                    setRefusal(null);
                    setDialog('absence');
                  }} disabled={!board} data-testid="plan-absence">
                  <Icon name="user" size={16} /> {t('planning.declare_absence')}
                </button>
              </>
            )}
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => void navigate(`/planning/imprimer?from=${toLocalDay(win.start)}&to=${toLocalDay(new Date(win.end.getTime() - 1))}`)}
              data-testid="plan-print"
            >
              <Icon name="printer" size={16} /> {t('planning.print')}
            </button>
          </>
        }
      >
        <PlanningTabs />
      </PageHeader>

      <div className="pl-toolbar" data-testid="plan-toolbar">
        <div className="pl-seg" role="group" aria-label={t('planning.rows')}>
          {(['machines', 'people', 'both'] as RowsView[]).map((v) => (
            <button key={v} type="button" className={`btn btn-sm ${view === v ? 'btn-primary' : 'btn-secondary'}`} aria-pressed={view === v} onClick={() => setView(v)} data-testid={`rows-${v}`}>
              {t(`planning.rows_${v}`)}
            </button>
          ))}
        </div>
        <div className="pl-seg" role="group" aria-label={t('planning.zoom')}>
          {(['day', 'week', 'month'] as Zoom[]).map((z) => (
            <button key={z} type="button" className={`btn btn-sm ${zoom === z ? 'btn-primary' : 'btn-secondary'}`} aria-pressed={zoom === z} onClick={() => goTo(z, todayIn(win) ? new Date() : win.start)} data-testid={`zoom-${z}`}>
              {t(`planning.zoom_${z}`)}
            </button>
          ))}
        </div>
        <div className="pl-seg">
          <button type="button" className="btn btn-sm btn-secondary" onClick={() => goTo(zoom, shiftAnchor(zoom, win.start, -1))} aria-label={t('planning.prev')} data-testid="plan-prev">
            <Icon name="chevron_left" size={16} />
          </button>
          <button type="button" className="btn btn-sm btn-secondary" onClick={() => goTo(zoom, new Date())} data-testid="plan-today">
            {t('planning.today')}
          </button>
          <button type="button" className="btn btn-sm btn-secondary" onClick={() => goTo(zoom, shiftAnchor(zoom, win.start, 1))} aria-label={t('planning.next')} data-testid="plan-next">
            <Icon name="chevron_right" size={16} />
          </button>
        </div>
        {canCreate && (
          <div className="pl-seg">
            <button type="button" className="btn btn-sm btn-secondary" onClick={() => setDialog('move')} disabled={!board} data-testid="plan-move">
              <Icon name="pencil" size={14} /> {t('planning.move')}
            </button>
            {selectedOp && (
              <button
                type="button"
                className="btn btn-sm btn-secondary"
                onClick={() => recompute.mutate(selectedOp.job_id)}
                disabled={recompute.isPending}
                title={t('planning.urgent_hint')}
                data-testid="plan-urgent"
              >
                {t('planning.urgent', { job: selectedOp.job_number })}
              </button>
            )}
            {selectedOp?.pinned && (
              <button type="button" className="btn btn-sm btn-secondary" onClick={() => unpin.mutate(selectedOp.op_id)} disabled={unpin.isPending} data-testid="plan-unpin">
                {t('planning.unpin')}
              </button>
            )}
          </div>
        )}
        {showPanel && pendingCount > 0 && proposalId == null && (
          <span className="chip pl-pending" data-testid="plan-pending">
            {t('planning.pending', { count: pendingCount })}
          </span>
        )}
      </div>

      {!canCreate && <p className="small muted" data-testid="plan-readonly">{t('planning.read_only')}</p>}
      {editable && <p className="small muted pl-hint">{t('planning.drag_hint')}</p>}

      <div className="pl-live" role="status" aria-live="polite" data-testid="move-live">
        {live && (
          <span className={live.violations.length ? 'pl-bad' : 'pl-ok'}>
            {t('planning.moving', { label: live.label })} —{' '}
            {live.violations.length ? `${t('planning.moving_conflict')} ${live.violations.map(violationText).join(' ')}` : t('planning.moving_ok')}
          </span>
        )}
        {!live && selectedOp && <span className="small">{t('planning.selected', { label: barLabel(selectedOp) })}</span>}
      </div>
      {refusal && (
        <div className="banner banner-error" role="alert" data-testid="move-refused">
          <Icon name="alert" size={20} />
          <div className="banner-body">
            <strong>
              {t('planning.move_refused')} {refusal.label}
            </strong>
            <div data-testid="move-refused-reason">{refusal.text}</div>
          </div>
          <button type="button" className="icon-btn" onClick={() => setRefusal(null)} aria-label={t('common.close')}>
            <Icon name="x" size={16} />
          </button>
        </div>
      )}
      {recompute.error ? <ErrorBanner error={recompute.error} /> : null}
      {unpin.error ? <ErrorBanner error={unpin.error} /> : null}
      {boardQ.isError && <ErrorBanner error={boardQ.error} onRetry={() => void boardQ.refetch()} />}

      {showPanel && proposalId == null && (
        <section className="pl-pending-list" aria-label={t('planning.proposals.title')} data-testid="proposals-panel">
          {listQ.isError && <ErrorBanner error={listQ.error} />}
          {listQ.data && listQ.data.length > 0 && (
            <>
              <h3 className="pl-h4">{t('planning.proposals.title')}</h3>
              <ProposalList items={listQ.data} onOpen={(id) => void navigate(`/planning/propositions/${id}`)} />
            </>
          )}
        </section>
      )}

      <div className={`pl-layout ${showPanel && proposalId != null ? 'with-panel' : ''}`}>
        <div className="pl-main">
          <GanttChart
            groups={groups}
            items={items}
            syncKey={syncKey}
            window={win}
            night={night}
            editable={editable}
            lang={lang}
            ariaLabel={t('planning.gantt_label')}
            urgentBadge={t('planning.urgent_badge')}
            onMoving={onMoving}
            onDrop={onDrop}
            onSelect={setSelected}
            onWindow={setWin}
            handleRef={gantt}
          />
          {board && board.ops.length === 0 && !proposal && (
            <p className="muted pl-empty" data-testid="plan-empty">
              {t('planning.empty')}
            </p>
          )}
          <ul className="pl-legend" aria-hidden="true">
            <li><span className="pl-sw pl-st-a_faire" />{t('planning.legend.a_faire')}</li>
            <li><span className="pl-sw pl-st-en_cours" />{t('planning.legend.en_cours')}</li>
            <li><span className="pl-sw pl-st-termine" />{t('planning.legend.termine')}</li>
            <li><span className="pl-sw pl-st-a_faire pl-late" />{t('planning.legend.late')}</li>
            <li><span className="pl-sw pl-st-a_faire pl-pinned" />{t('planning.legend.pinned')}</li>
            <li><span className="pl-sw pl-ghost" />{t('planning.legend.ghost')}</li>
            <li><span className="pl-sw pl-closed" />{t('planning.legend.closed')}</li>
          </ul>
          {board && board.diagnostics.length > 0 && <DiagnosticList items={board.diagnostics} testId="board-diagnostics" />}
        </div>
        {showPanel && proposalId != null && (
          <aside className="panel pl-panel" aria-label={t('planning.proposals.title')} data-testid="proposals-panel">
            {propQ.isError ? (
              <ErrorBanner error={propQ.error} />
            ) : proposal ? (
              <ProposalDetail
                key={proposal.id}
                p={proposal}
                canValidate={canValidate}
                pending={decide.isPending}
                error={decide.error}
                onAccept={(note) => decide.mutate({ id: proposal.id, action: 'accept', note })}
                onReject={(note) => decide.mutate({ id: proposal.id, action: 'reject', note })}
                onClose={() => {
                  decide.reset();
                  void navigate('/planning');
                }}
              />
            ) : (
              <p className="muted">{t('common.loading')}</p>
            )}
          </aside>
        )}
      </div>

      {dialog === 'move' && board && (
        <MoveDialog
          board={board}
          initialOpId={selected}
          onClose={() => setDialog(null)}
          onMoved={(rev) => {
            setDialog(null);
            toast.show(t('planning.move_done', { rev }));
            invalidate();
          }}
        />
      )}
      {dialog === 'absence' && board && (
        <AbsenceDialog board={board} defaults={absenceDefaults(board, selected, new Date())} onClose={() => setDialog(null)} onCreated={onAbsence} />
      )}
    </div>
  );
}
