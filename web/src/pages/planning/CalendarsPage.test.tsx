import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { ALL, fakeApi, meWith, type Call } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import { CalendarsPage } from './CalendarsPage';
import { board, settings } from './fixtures';
import type { ShopShift } from './types';

beforeEach(() => setTokens({ access_token: 'tok', refresh_token: 'ref' }));
afterEach(() => vi.unstubAllGlobals());

const CHEF = meWith({ planning: [...ALL] });
const OPERATOR = { ...meWith({ planning: ['read'] }), roles: ['operateur'] };

/** The M07 runs unattended at night on weekdays; the others follow the shop or their contract. */
const NIGHTS: ShopShift[] = [0, 1, 2, 3, 4].flatMap((d) => [
  { weekday: d, start_min: 0, end_min: 360 },
  { weekday: d, start_min: 1320, end_min: 1440 },
]);

function routes(extra: Record<string, (c: Call) => Response | Promise<Response>> = {}) {
  return {
    'GET /planning/settings': () => json(200, settings()),
    'GET /planning/board': () => json(200, board()),
    'GET /planning/calendars/machines/1': () => json(200, { resource: 'machine', id: 1, shifts: null, version: 0 }),
    'GET /planning/calendars/machines/4': () => json(200, { resource: 'machine', id: 4, shifts: null, version: 0 }),
    'GET /planning/calendars/machines/6': () => json(200, { resource: 'machine', id: 6, shifts: NIGHTS, version: 3 }),
    'GET /planning/calendars/people/8': () => json(200, { resource: 'person', id: 8, shifts: null, version: 0 }),
    'GET /planning/calendars/people/9': () => json(200, { resource: 'person', id: 9, shifts: null, version: 0 }),
    'GET /planning/calendars/people/10': () => json(200, { resource: 'person', id: 10, shifts: null, version: 0 }),
    ...extra,
  };
}

function page(url = '/planning/calendriers') {
  renderApp(
    <RequireAuth>
      <Routes>
        <Route path="/planning/calendriers" element={<CalendarsPage />} />
      </Routes>
    </RequireAuth>,
    url,
  );
}

/** The shift rows of a weekday in the grid. */
const shiftsOf = (d: number) => within(screen.getByTestId(`cal-week-day-${d}`)).queryAllByTestId(/^shift-row-/);
const type = (el: HTMLElement, v: string) => {
  fireEvent.change(el, { target: { value: v } });
  fireEvent.blur(el);
};

describe('CalendarsPage — the shop', () => {
  it('shows the shop week (39 h), the closed days and which resources have their own hours', async () => {
    fakeApi(CHEF, routes());
    page();
    await screen.findByTestId('cal-shop');
    expect(shiftsOf(0)).toHaveLength(2);
    expect(shiftsOf(5)).toHaveLength(0);
    expect(screen.getByTestId('cal-week-total').textContent).toBe('Total de la semaine : 39 h');
    expect(within(screen.getByTestId('cal-week-day-4')).getByText('5 h')).toBeTruthy();
    expect(within(screen.getByTestId('cal-closures')).getAllByTestId('closure-label').map((i) => (i as HTMLInputElement).value)).toEqual(['Veille de Noël', 'Saint-Sylvestre']);
    await waitFor(() => expect(screen.getByTestId('cal-nav-machine-6').textContent).toContain('horaires propres'));
    expect(screen.getByTestId('cal-nav-machine-1').textContent).toContain('atelier');
    expect(screen.getByTestId('cal-nav-person-8').textContent).toContain('contrat');
  });

  it('catches an overlap and an end before the start in French, and sends nothing', async () => {
    const api = fakeApi(CHEF, routes());
    page();
    await screen.findByTestId('cal-shop');
    const [morning, afternoon] = shiftsOf(0);
    type(within(morning).getByTestId('shift-end'), '13:30');
    expect(within(morning).getByTestId('shift-error').textContent).toBe('Chevauche la plage 13:00–17:00 du même jour.');
    expect(within(afternoon).getByTestId('shift-error').textContent).toBe('Chevauche la plage 07:30–13:30 du même jour.');
    const [tuesday] = shiftsOf(1);
    type(within(tuesday).getByTestId('shift-start'), '12:30');
    expect(within(tuesday).getByTestId('shift-error').textContent).toBe('La fin doit être après le début.');
    fireEvent.click(screen.getByTestId('cal-shop-save'));
    expect(screen.getByTestId('cal-shop-blocked').textContent).toBe('Corrigez les plages signalées en rouge avant d’enregistrer.');
    expect(api.made('PUT', '/planning/settings')).toHaveLength(0);
  });

  it('sends the week and the closed days as the settings route takes them', async () => {
    const api = fakeApi(
      CHEF,
      routes({
        'PUT /planning/settings': (c) => {
          const b = c.body as { shop_shifts: ShopShift[]; closures: { day: string; label: string }[] };
          return json(200, { ...settings(), ...b });
        },
      }),
    );
    page();
    await screen.findByTestId('cal-shop');
    // Friday afternoon added, Monday copied to Tuesday–Friday, a bridge closed.
    fireEvent.click(screen.getByTestId('cal-week-add-4'));
    fireEvent.click(screen.getByTestId('cal-week-copy-monday'));
    const morning = shiftsOf(0)[0];
    type(within(morning).getByTestId('shift-start'), '7:00');
    type(within(morning).getByTestId('shift-end'), '12h');
    fireEvent.click(screen.getByTestId('closure-add'));
    const rows = within(screen.getByTestId('cal-closures')).getAllByTestId(/^closure-row-/);
    const last = rows[rows.length - 1];
    fireEvent.click(screen.getByTestId('cal-shop-save'));
    // The new closed day is empty: refused here.
    expect(within(last).getByTestId('closure-error').textContent).toBe('Date à renseigner.');
    expect(api.made('PUT', '/planning/settings')).toHaveLength(0);
    fireEvent.change(within(last).getByTestId('closure-day'), { target: { value: '2026-05-15' } });
    fireEvent.change(within(last).getByTestId('closure-label'), { target: { value: 'Pont de l’Ascension' } });
    expect(screen.getByTestId('cal-shop-dirty').textContent).toBe('Modifications non enregistrées');
    fireEvent.click(screen.getByTestId('cal-shop-save'));
    await waitFor(() => expect(api.made('PUT', '/planning/settings')).toHaveLength(1));
    const body = api.made('PUT', '/planning/settings')[0].body as { shop_shifts: ShopShift[]; closures: unknown; version: number };
    expect(Object.keys(body).sort()).toEqual(['closures', 'shop_shifts', 'version']);
    // Made on the version shown: a save from a stale screen is refused by the server.
    expect(body.version).toBe(7);
    expect(body.shop_shifts.filter((s) => s.weekday === 0)).toEqual([
      { weekday: 0, start_min: 420, end_min: 720 },
      { weekday: 0, start_min: 780, end_min: 1020 },
    ]);
    // Tuesday–Friday are Monday as it was when copied.
    expect(body.shop_shifts.filter((s) => s.weekday === 4)).toEqual([
      { weekday: 4, start_min: 450, end_min: 720 },
      { weekday: 4, start_min: 780, end_min: 1020 },
    ]);
    expect(body.shop_shifts).toHaveLength(10);
    expect(body.closures).toEqual([
      { day: '2026-05-15', label: 'Pont de l’Ascension' },
      { day: '2026-12-24', label: 'Veille de Noël' },
      { day: '2026-12-31', label: 'Saint-Sylvestre' },
    ]);
    await waitFor(() => expect(screen.queryByTestId('cal-shop-dirty')).toBeNull());
  });

  it('puts the server’s 422 messages beside the week and the closed days', async () => {
    fakeApi(
      CHEF,
      routes({
        'PUT /planning/settings': () =>
          json(422, {
            code: 'validation',
            detail: 'Données invalides.',
            errors: [
              { field: 'shop_shifts', code: 'overlapping_shifts', message: 'Deux plages horaires se chevauchent le même jour.' },
              { field: 'closures', code: 'duplicate', message: 'Un même jour de fermeture est donné deux fois.' },
            ],
          }),
      }),
    );
    page();
    await screen.findByTestId('cal-shop');
    fireEvent.click(screen.getByTestId('cal-week-add-6'));
    fireEvent.click(screen.getByTestId('cal-shop-save'));
    expect((await screen.findByTestId('cal-week-server-error')).textContent).toBe('Deux plages horaires se chevauchent le même jour.');
    expect(screen.getByTestId('cal-closures-server-error').textContent).toBe('Un même jour de fermeture est donné deux fois.');
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });

  it('is read only without planning.validate', async () => {
    fakeApi(OPERATOR, routes());
    page();
    await screen.findByTestId('cal-shop');
    expect(screen.getByText('Seuls la direction et le chef d’atelier modifient la semaine de l’atelier.')).toBeTruthy();
    expect(screen.queryByTestId('cal-shop-save')).toBeNull();
    expect(screen.queryByTestId('cal-week-add-0')).toBeNull();
    expect((within(shiftsOf(0)[0]).getByTestId('shift-start') as HTMLInputElement).disabled).toBe(true);
  });
});

describe('CalendarsPage — a machine or a person', () => {
  it('a machine following the shop gets a week of its own: PUT {shifts} on its calendar', async () => {
    const api = fakeApi(
      CHEF,
      routes({ 'PUT /planning/calendars/machines/4': (c) => json(200, { resource: 'machine', id: 4, shifts: (c.body as { shifts: ShopShift[] }).shifts, version: 1 }) }),
    );
    page();
    fireEvent.click(await screen.findByTestId('cal-nav-machine-4'));
    expect(screen.getByTestId('where').textContent).toBe('/planning/calendriers?r=machine-4');
    const follows = await screen.findByTestId('cal-machine-follows');
    expect(follows.textContent).toBe('M05 · Centre 5 axes DMG suit la semaine de l’atelier (39 h par semaine).');
    fireEvent.click(screen.getByTestId('cal-machine-define'));
    // Starts from the shop's week; Saturday morning added.
    fireEvent.click(screen.getByTestId('cal-week-add-5'));
    const [sat] = shiftsOf(5);
    type(within(sat).getByTestId('shift-start'), '08:00');
    type(within(sat).getByTestId('shift-end'), '07:00');
    expect(within(sat).getByTestId('shift-error').textContent).toBe('La fin doit être après le début.');
    fireEvent.click(screen.getByTestId('cal-machine-save'));
    expect(api.made('PUT', '/planning/calendars/machines/4')).toHaveLength(0);
    type(within(sat).getByTestId('shift-end'), '12:00');
    expect(within(sat).queryByTestId('shift-error')).toBeNull();
    fireEvent.click(screen.getByTestId('cal-machine-save'));
    await waitFor(() => expect(api.made('PUT', '/planning/calendars/machines/4')).toHaveLength(1));
    const body = api.made('PUT', '/planning/calendars/machines/4')[0].body as { shifts: ShopShift[]; version: number };
    expect(Object.keys(body).sort()).toEqual(['shifts', 'version']);
    expect(body.version).toBe(0);
    expect(body.shifts).toHaveLength(10);
    expect(body.shifts.at(-1)).toEqual({ weekday: 5, start_min: 480, end_min: 720 });
    await waitFor(() => expect(screen.getByTestId('cal-nav-machine-4').textContent).toContain('horaires propres'));
  });

  it('a night shift is cut at midnight: 22:00–24:00 is fine, 22:00–06:00 is refused', async () => {
    fakeApi(CHEF, routes());
    page('/planning/calendriers?r=machine-6');
    await screen.findByTestId('cal-machine-revert');
    expect(shiftsOf(0).map((r) => within(r).getAllByRole('textbox').map((i) => (i as HTMLInputElement).value).join('–'))).toEqual(['00:00–06:00', '22:00–24:00']);
    const night = shiftsOf(0)[1];
    type(within(night).getByTestId('shift-end'), '06:00');
    expect(within(night).getByTestId('shift-error').textContent).toBe('La fin doit être après le début.');
    type(within(night).getByTestId('shift-end'), '30:00');
    expect(within(night).getByTestId('shift-error').textContent).toBe('24:00 au plus : une plage de nuit se coupe à minuit.');
  });

  it('“Revenir au calendrier de l’atelier” asks, then PUTs {shifts: null}', async () => {
    let shifts: ShopShift[] | null = NIGHTS;
    const api = fakeApi(
      CHEF,
      routes({
        'GET /planning/calendars/machines/6': () => json(200, { resource: 'machine', id: 6, shifts, version: shifts ? 2 : 0 }),
        'PUT /planning/calendars/machines/6': (c) => {
          shifts = (c.body as { shifts: ShopShift[] | null }).shifts;
          return json(200, { resource: 'machine', id: 6, shifts, version: shifts ? 3 : 0 });
        },
      }),
    );
    page('/planning/calendriers?r=machine-6');
    fireEvent.click(await screen.findByTestId('cal-machine-revert'));
    const dlg = screen.getByTestId('cal-revert-confirm');
    expect(dlg.textContent).toContain('Supprimer la semaine propre de M07 · Tour bi-broche ?');
    expect(dlg.textContent).toContain('Lun–Jeu 07:30–12:00, 13:00–17:00 · Ven 07:30–12:30');
    fireEvent.click(within(dlg).getByTestId('confirm-ok'));
    await screen.findByTestId('cal-machine-follows');
    expect(api.made('PUT', '/planning/calendars/machines/6')[0].body).toEqual({ shifts: null, version: 2 });
  });

  it('a person without a week of their own follows the contract; the way back says so', async () => {
    fakeApi(CHEF, routes({ 'GET /planning/calendars/people/9': () => json(200, { resource: 'person', id: 9, shifts: [{ weekday: 0, start_min: 480, end_min: 720 }] }) }));
    page('/planning/calendriers?r=person-8');
    expect((await screen.findByTestId('cal-person-follows')).textContent).toBe('Kévin Dumas suit ses heures de contrat (à partir de 07:30, pause de 12:00 à 13:00).');
    fireEvent.click(screen.getByTestId('cal-nav-person-9'));
    expect((await screen.findByTestId('cal-person-revert')).textContent).toBe('Revenir aux heures du contrat');
    expect(screen.getByTestId('cal-week-total').textContent).toBe('Total de la semaine : 4 h');
  });

  it('a save refused because someone saved first (409) says so and reloads what is saved now', async () => {
    let version = 3;
    let shifts = NIGHTS;
    const api = fakeApi(
      CHEF,
      routes({
        'GET /planning/calendars/machines/6': () => json(200, { resource: 'machine', id: 6, shifts, version }),
        'PUT /planning/calendars/machines/6': () => json(409, { code: 'stale_version', detail: 'Cet enregistrement a été modifié par quelqu’un d’autre entre-temps : rechargez-le puis refaites votre modification.' }),
      }),
    );
    page('/planning/calendriers?r=machine-6');
    await screen.findByTestId('cal-machine-revert');
    fireEvent.click(screen.getByTestId('cal-week-add-5'));
    fireEvent.click(screen.getByTestId('cal-machine-save'));
    expect((await screen.findByTestId('error-banner')).textContent).toContain('modifié par quelqu’un d’autre entre-temps');
    // The change was made on version 3, and says so.
    expect((api.made('PUT', '/planning/calendars/machines/6')[0].body as { version: number }).version).toBe(3);
    // Meanwhile the other person removed the night shifts: "Recharger" shows their week.
    version = 4;
    shifts = [{ weekday: 0, start_min: 450, end_min: 720 }];
    const reload = screen.getByTestId('error-retry');
    expect(reload.textContent).toBe('Recharger');
    fireEvent.click(reload);
    await waitFor(() => expect(shiftsOf(0)).toHaveLength(1));
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });

  it('an operator reads a machine’s week without buttons', async () => {
    fakeApi(OPERATOR, routes());
    page('/planning/calendriers?r=machine-6');
    await screen.findByTestId('cal-machine');
    await waitFor(() => expect(shiftsOf(0)).toHaveLength(2));
    expect(screen.queryByTestId('cal-machine-save')).toBeNull();
    expect(screen.queryByTestId('cal-machine-revert')).toBeNull();
    expect(screen.getByText('Lecture seule : les calendriers sont modifiés par le chef d’atelier.')).toBeTruthy();
  });
});
