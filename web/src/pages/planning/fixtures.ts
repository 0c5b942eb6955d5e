// A small plan for the unit tests: two machines, three people, three operations on 08/12/2026.
import type { Board, BoardOp, PlanningSettings, Proposal, Unavailability } from './types';

export function op(p: Partial<BoardOp> & Pick<BoardOp, 'op_id'>): BoardOp {
  return {
    job_id: 3,
    job_number: 'OF-2026-0002',
    order_number: 'CMD-2026-0001',
    part: 'Axe Ø40 — PL-1234 ind. B',
    label: 'Tournage',
    process: 'tournage',
    position: 10,
    machine_id: 1,
    person_id: 8,
    start: '2026-12-08T07:30:00',
    end: '2026-12-08T11:10:00',
    work_min: 220,
    setup_min: 45,
    pinned: false,
    fixed: false,
    status: 'a_faire',
    due: '2026-12-15',
    late: false,
    sur_urgent: false,
    critical: false,
    priority: 0,
    allowed_machine_ids: [1],
    skill: { skill: 'LATHE_Y', level: 2 },
    predecessor_ids: [],
    successor_ids: [],
    ...p,
  };
}

export function board(): Board {
  return {
    revision: 3,
    from: '2026-12-07',
    to: '2026-12-21',
    machines: [
      { id: 1, code: 'M02', name: 'Tour CN Biglia', kind: 'tour_cn', stations: 1 },
      { id: 4, code: 'M05', name: 'Centre 5 axes DMG', kind: 'fraiseuse_5ax', stations: 1 },
      { id: 6, code: 'M07', name: 'Tour bi-broche', kind: 'tour_cn', stations: 2 },
    ],
    people: [
      { id: 8, name: 'Kévin Dumas', skills: [{ skill: 'LATHE_Y', level: 3 }], has_calendar: true },
      { id: 9, name: 'Lucas Brunel', skills: [{ skill: 'LATHE_Y', level: 1 }], has_calendar: true },
      { id: 10, name: 'Sébastien Pelletier', skills: [{ skill: 'MILL5', level: 3 }], has_calendar: true },
    ],
    ops: [
      op({ op_id: 11, successor_ids: [12], allowed_machine_ids: [1, 6] }),
      op({
        op_id: 12,
        position: 20,
        label: 'Fraisage 5 axes',
        process: 'fraisage',
        machine_id: 4,
        person_id: 10,
        start: '2026-12-08T13:00:00',
        end: '2026-12-08T15:00:00',
        allowed_machine_ids: [4],
        skill: { skill: 'MILL5', level: 2 },
        predecessor_ids: [11],
      }),
      op({
        op_id: 21,
        job_id: 4,
        job_number: 'OF-2026-0003',
        part: 'Bague — PL-2002 ind. A',
        machine_id: 1,
        person_id: 8,
        start: '2026-12-08T11:10:00',
        end: '2026-12-08T14:00:00',
        late: true,
        sur_urgent: true,
        pinned: true,
        allowed_machine_ids: [1, 6],
      }),
    ],
    unavailability: [{ resource: 'person', id: 10, from: '2026-12-09T00:00:00', to: '2026-12-10T00:00:00', reason: 'Congés' }],
    closed_days: ['2026-12-25'],
    diagnostics: [],
    pending_proposals: 1,
  };
}

export function proposal(): Proposal {
  const b = board();
  return {
    id: 4,
    number: 'PROP-2026-0004',
    trigger: 'absence',
    trigger_label: 'Absence déclarée',
    trigger_ref: 'Kévin Dumas, 08/12',
    status: 'en_attente',
    requires_validation: true,
    moves_count: 2,
    late_jobs: 1,
    summary: '2 opérations déplacées, 1 OF en retard',
    created_by: 'chef',
    created_at: '2026-12-07T09:00:00Z',
    decided_by: null,
    decided_at: null,
    decision_note: null,
    stale: false,
    moves: [
      {
        op_id: 11,
        job_id: 3,
        job_number: 'OF-2026-0002',
        label: 'Tournage',
        before: { machine_id: 1, machine_code: 'M02', person_id: 8, person_name: 'Kévin Dumas', start: '2026-12-08T07:30:00', end: '2026-12-08T11:10:00' },
        after: { machine_id: 6, machine_code: 'M07', person_id: 9, person_name: 'Lucas Brunel', start: '2026-12-08T07:30:00', end: '2026-12-08T11:40:00' },
      },
      {
        op_id: 21,
        job_id: 4,
        job_number: 'OF-2026-0003',
        label: 'Tournage',
        before: { machine_id: 1, machine_code: 'M02', person_id: 8, person_name: 'Kévin Dumas', start: '2026-12-08T11:10:00', end: '2026-12-08T14:00:00' },
        after: { machine_id: 1, machine_code: 'M02', person_id: 8, person_name: 'Kévin Dumas', start: '2026-12-10T07:30:00', end: '2026-12-10T10:20:00' },
      },
    ],
    effects: [
      { job_id: 3, job_number: 'OF-2026-0002', due: '2026-12-15', end_before: '2026-12-08T15:00:00', end_after: '2026-12-08T15:00:00', late_before_min: 0, late_after_min: 0 },
      { job_id: 4, job_number: 'OF-2026-0003', due: '2026-12-09', end_before: '2026-12-08T14:00:00', end_after: '2026-12-10T10:20:00', late_before_min: 0, late_after_min: 620 },
    ],
    diagnostics: [{ code: 'late', severity: 'warning', job_id: 4, op_id: null, person_id: null, machine_id: null, message: 'OF-2026-0003 finit 1 j après son échéance.' }],
    kpis: { weighted_tardiness: 620, late_jobs: 1, makespan_end: '2026-12-10T10:20:00', setup_min: 135, planned_ops: 3, unplanned_ops: 0, iterations: 12000, elapsed_ms: 800 },
    ops: [
      { ...b.ops[0], machine_id: 6, person_id: 9, end: '2026-12-08T11:40:00' },
      b.ops[1],
      { ...b.ops[2], start: '2026-12-10T07:30:00', end: '2026-12-10T10:20:00', late: true },
    ],
  };
}

/** Declared absences and downtime around 08/12/2026 (tests run "now" = 08/12/2026 10:00). */
export function unavailabilities(): Unavailability[] {
  return [
    {
      id: 3,
      resource: 'machine',
      resource_id: 4,
      resource_name: 'M05 Centre 5 axes DMG',
      kind: 'maintenance',
      kind_label: 'Maintenance',
      from: '2026-12-14T07:30:00',
      to: '2026-12-14T17:00:00',
      reason: 'Vidange et graissage annuel',
      created_by: 'chef',
      created_at: '2026-12-01T08:15:00Z',
    },
    {
      id: 2,
      resource: 'person',
      resource_id: 8,
      resource_name: 'Kévin Dumas',
      kind: 'maladie',
      kind_label: 'Arrêt maladie',
      from: '2026-12-08T07:30:00',
      to: '2026-12-09T17:00:00',
      reason: null,
      created_by: 'chef',
      created_at: '2026-12-08T06:50:00Z',
    },
    {
      id: 1,
      resource: 'person',
      resource_id: 10,
      resource_name: 'Sébastien Pelletier',
      kind: 'conges',
      kind_label: 'Congés',
      from: '2026-11-23T00:00:00',
      to: '2026-11-28T00:00:00',
      reason: 'Congés posés',
      created_by: 'direction',
      created_at: '2026-11-02T10:00:00Z',
    },
  ];
}

/** The demo shop's settings: Mon–Thu 07:30–12:00 / 13:00–17:00, Fri 07:30–12:30, two closed days. */
export function settings(): PlanningSettings {
  const shop_shifts = [0, 1, 2, 3].flatMap((d) => [
    { weekday: d, start_min: 450, end_min: 720 },
    { weekday: d, start_min: 780, end_min: 1020 },
  ]);
  shop_shifts.push({ weekday: 4, start_min: 450, end_min: 750 });
  return {
    rebalance_mode: 'attendre',
    horizon_days: 30,
    nightly: true,
    same_family_setup_factor: '0.3',
    shop_shifts,
    closures: [
      { day: '2026-12-24', label: 'Veille de Noël' },
      { day: '2026-12-31', label: 'Saint-Sylvestre' },
    ],
    version: 7,
  };
}
