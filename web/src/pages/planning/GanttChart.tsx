// vis-timeline wrapper: machine and/or person rows, bars that move in time and between rows.
// The timeline is created once; rows and bars are synced into its DataSets when they change.
// While a bar is dragged, `onMoving` runs the synchronous client checks and marks the bar
// (pl-conflict); on drop, `onDrop` asks the server and the page refreshes or reverts.
// The ESM build of the locale registers on the same moment instance vis-timeline imports.
import 'moment/dist/locale/fr';
import { useEffect, useRef } from 'react';
import { DataSet } from 'vis-data/peer';
import { Timeline, type TimelineItem, type TimelineOptions } from 'vis-timeline/peer';
import 'vis-timeline/styles/vis-timeline-graph2d.min.css';
import type { GanttGroup, GanttItem } from './gantt';

export interface GanttWindow {
  start: Date;
  end: Date;
}

export interface GanttHandle {
  setWindow: (start: Date, end: Date) => void;
  getWindow: () => GanttWindow | null;
}

export interface GanttProps {
  groups: GanttGroup[];
  items: GanttItem[];
  /** Bumped by the page to force a full re-sync (e.g. to put a refused bar back). */
  syncKey: number;
  window: GanttWindow;
  /** Daily hours hidden from the axis (nights), in minutes after midnight. */
  night: { fromMin: number; toMin: number } | null;
  editable: boolean;
  lang: 'fr' | 'en';
  ariaLabel: string;
  urgentBadge: string;
  /** Called on every drag step: returns the bar's extra CSS class ('' or 'pl-conflict'). */
  onMoving?: (item: GanttItem) => string;
  /** Called on drop; the bar stays where it was dropped until the page re-syncs. */
  onDrop?: (item: GanttItem) => void;
  onSelect?: (opId: number | null) => void;
  onWindow?: (w: GanttWindow) => void;
  handleRef?: { current: GanttHandle | null };
}

const SNAP_MIN = 15;
/** Hammer.DIRECTION_HORIZONTAL (2 | 4) | Hammer.DIRECTION_VERTICAL (8 | 16). */
const HAMMER_DIRECTION_ALL = 30;

function snap(date: Date): Date {
  // Snap on wall-clock minutes (local), not on the UTC epoch.
  const d = new Date(date);
  const min = Math.round((d.getHours() * 60 + d.getMinutes() + d.getSeconds() / 60) / SNAP_MIN) * SNAP_MIN;
  d.setHours(Math.floor(min / 60), min % 60, 0, 0);
  return d;
}

function barElement(item: GanttItem, urgentBadge: string): HTMLElement {
  const el = document.createElement('div');
  el.className = 'pl-bar';
  if (item.op?.sur_urgent) {
    const b = document.createElement('span');
    b.className = 'pl-badge-urgent';
    b.textContent = urgentBadge;
    el.appendChild(b);
  }
  const txt = document.createElement('span');
  txt.className = 'pl-bar-text';
  txt.textContent = item.content;
  el.appendChild(txt);
  return el;
}

export function GanttChart(props: GanttProps) {
  const box = useRef<HTMLDivElement>(null);
  const tl = useRef<Timeline | null>(null);
  const itemsDs = useRef(new DataSet<GanttItem, 'id'>());
  const groupsDs = useRef(new DataSet<GanttGroup, 'id'>());
  // The latest callbacks, read by the timeline's handlers (created once).
  const cb = useRef(props);
  useEffect(() => {
    cb.current = props;
  });

  useEffect(() => {
    if (!box.current) return;
    const options: TimelineOptions = {
      stack: true,
      orientation: { axis: 'top', item: 'top' },
      margin: { item: { horizontal: 0, vertical: 4 }, axis: 4 },
      editable: false,
      selectable: true,
      // A bar is dragged at once, without a first click to select it.
      itemsAlwaysDraggable: { item: true, range: false },
      multiselect: false,
      zoomKey: 'ctrlKey',
      zoomMin: 60 * 60_000 * 4,
      zoomMax: 86_400_000 * 120,
      showCurrentTime: true,
      showWeekScale: true,
      groupOrder: 'order',
      snap,
      start: cb.current.window.start,
      end: cb.current.window.end,
      locale: cb.current.lang,
      dataAttributes: ['opid', 'row'],
      verticalScroll: false,
      tooltip: { followMouse: true, overflowMethod: 'flip', delay: 300 },
      template: (item: GanttItem) => {
        if (item.type !== 'background') return barElement(item, cb.current.urgentBadge);
        const el = document.createElement('span');
        el.className = 'pl-bg-label';
        el.textContent = item.content ?? '';
        return el;
      },
      onMoving: (item: TimelineItem, callback) => {
        const orig = itemsDs.current.get(String(item.id));
        let it = item as unknown as GanttItem;
        // A bar moved to another row without moving in time keeps its exact times (the 15 min
        // snap would otherwise shift an 09:54 start to 10:00).
        if (orig && Math.abs(new Date(it.start).getTime() - orig.start.getTime()) <= (SNAP_MIN * 60_000) / 2) {
          it = { ...it, start: orig.start, end: orig.end };
        }
        const base = (orig?.className ?? '').replace(/\s*pl-conflict\b/g, '');
        const extra = cb.current.onMoving?.(it) ?? '';
        callback({ ...(it as unknown as TimelineItem), className: `${base} ${extra}`.trim() });
      },
      onMove: (item: TimelineItem, callback) => {
        const it = item as unknown as GanttItem;
        callback(item);
        cb.current.onDrop?.(it);
      },
    };
    const timeline = new Timeline(box.current, itemsDs.current as never, groupsDs.current as never, options);
    tl.current = timeline;
    // vis-timeline limits panning to horizontal when the rows fit without scrolling (set at
    // each redraw), so a bar dragged straight down to another row never starts moving. Allow
    // every direction again after each redraw: a vertical drag then moves the bar across rows.
    const panAll = () => {
      const hammer = (timeline as unknown as { hammer?: { get: (name: string) => { set: (o: object) => void } | null } }).hammer;
      hammer?.get('pan')?.set({ direction: HAMMER_DIRECTION_ALL });
    };
    timeline.on('changed', panAll);
    panAll();
    // vis-timeline shows its chart after a first "rangechanged"; with start and end given up
    // front its own first setWindow changes nothing, so that event may never come and the chart
    // stays hidden until the user pans (seen in CI). Once drawn and still hidden, move the
    // window's end by 1 ms and back: the range changes, the chart appears where it was asked.
    let nudges = 0;
    const reveal = () => {
      const root = box.current?.querySelector<HTMLElement>('.vis-timeline');
      if (!root || root.style.visibility !== 'hidden' || ++nudges > 3) {
        timeline.off('changed', reveal);
        return;
      }
      const w = timeline.getWindow();
      timeline.setWindow(w.start, new Date(w.end.getTime() + 1), { animation: false });
      timeline.setWindow(w.start, w.end, { animation: false });
    };
    timeline.on('changed', reveal);
    timeline.on('select', (p: { items: (string | number)[] }) => {
      const id = p.items[0];
      const it = id != null ? itemsDs.current.get(String(id)) : null;
      cb.current.onSelect?.(it?.opid ?? null);
    });
    timeline.on('rangechanged', (p: { start: Date; end: Date; byUser: boolean }) => {
      cb.current.onWindow?.({ start: p.start, end: p.end });
    });
    if (cb.current.handleRef) {
      cb.current.handleRef.current = {
        setWindow: (s, e) => timeline.setWindow(s, e, { animation: false }),
        getWindow: () => {
          const w = timeline.getWindow();
          return { start: w.start, end: w.end };
        },
      };
    }
    return () => {
      timeline.destroy();
      tl.current = null;
    };
  }, []);

  useEffect(() => {
    tl.current?.setOptions({ locale: props.lang });
  }, [props.lang]);

  const nightFrom = props.night?.fromMin;
  const nightTo = props.night?.toMin;
  useEffect(() => {
    if (nightFrom == null || nightTo == null) {
      tl.current?.setOptions({ hiddenDates: [] });
      return;
    }
    // Any past day serves as the pattern of a daily repeat.
    const start = new Date(2020, 0, 1, 0, nightFrom);
    const end = new Date(2020, 0, 2, 0, nightTo);
    tl.current?.setOptions({ hiddenDates: [{ start, end, repeat: 'daily' }] });
  }, [nightFrom, nightTo]);

  useEffect(() => {
    // Bars are only draggable on their own `editable`; the global switch turns it on at all.
    tl.current?.setOptions({ editable: props.editable ? { updateTime: true, updateGroup: true, add: false, remove: false, overrideItems: false } : false });
  }, [props.editable]);

  useEffect(() => {
    const ds = groupsDs.current;
    const ids = new Set(props.groups.map((g) => g.id));
    ds.remove(ds.getIds().filter((id) => !ids.has(String(id))));
    ds.update(props.groups);
  }, [props.groups]);

  useEffect(() => {
    const ds = itemsDs.current;
    const ids = new Set(props.items.map((i) => i.id));
    ds.remove(ds.getIds().filter((id) => !ids.has(String(id))));
    // Replace, not merge: a bar that lost pl-conflict or moved back must lose the old fields.
    ds.update(props.items.map((i) => ({ ...i, className: i.className })));
  }, [props.items, props.syncKey]);

  return <div ref={box} className="pl-gantt" role="region" aria-label={props.ariaLabel} data-testid="gantt" />;
}
