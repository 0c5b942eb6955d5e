import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Link, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { visibleModules } from '../../modules';
import { ALL, fakeApi, meWith } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import { DashboardPage, isOperatorOnly, resetOperatorLanding } from '../DashboardPage';
import { OPS } from '../jobs/fixtures';
import { OperationPage } from '../jobs/OperationPage';
import { CommentsPage, type ShopComment } from './CommentsPage';
import { floorOp } from './fixtures';
import { resetShopFloorQueue } from './queue';
import { ReasonsPage, type ScrapReason } from './ReasonsPage';

beforeEach(() => {
  setTokens({ access_token: 'tok', refresh_token: 'ref' });
  resetShopFloorQueue();
  resetOperatorLanding();
});
afterEach(() => vi.unstubAllGlobals());

const QUALITE = { ...meWith({ quality: [...ALL], instruments: [...ALL] }), id: 3, login: 'qualite', full_name: 'Claire Qualité', roles: ['qualite'] };
const METHODE = { ...meWith({ method_sheets: ['read', 'create', 'update', 'validate'], routings: [...ALL] }), id: 4, login: 'methode', full_name: 'Sandrine Bessenay', roles: ['methode'] };
const OPERATOR = { ...meWith({ time_tracking: ['read', 'create', 'validate'], method_sheets: ['read'], materials: ['read'], quality: ['read', 'create'] }), id: 7, login: 'operateur', full_name: 'Paul Opérateur', roles: ['operateur'] };

function at(url: string, element: React.ReactNode, path: string) {
  renderApp(
    <RequireAuth>
      <Routes>
        <Route path={path} element={element} />
        <Route path="/operations/:id" element={<div data-testid="op-opened" />} />
      </Routes>
    </RequireAuth>,
    url,
  );
}

const REASONS: ScrapReason[] = [
  { id: 1, code: 'cote_hors_tolerance', label: 'Cote hors tolérance', active: true, position: 10, version: 1 },
  { id: 2, code: 'defaut_matiere', label: 'Défaut matière', active: true, position: 20, version: 3 },
  { id: 3, code: 'casse_outil', label: 'Casse outil', active: false, position: 30, version: 2 },
];

describe('Raisons de rebut', () => {
  it('lists code, label and state, and adds a reason (field errors from the server under the inputs)', async () => {
    let list = REASONS;
    const api = fakeApi(QUALITE, {
      'GET /shop-floor/scrap-reasons': () => json(200, list),
      'POST /shop-floor/scrap-reasons': (c) => {
        const b = c.body as { code: string; label: string };
        if (b.code !== b.code.toLowerCase()) return json(422, { code: 'validation', detail: 'Données invalides.', errors: [{ field: 'code', code: 'invalid', message: 'Code obligatoire : minuscules, chiffres et « _ », 40 caractères au plus.' }] });
        const r = { id: 4, code: b.code, label: b.label, active: true, position: 500, version: 1 };
        list = [...list, r];
        return json(201, r);
      },
    });
    at('/shop-floor/reasons', <ReasonsPage />, '/shop-floor/reasons');
    const table = await screen.findByTestId('reasons-table');
    expect(within(table).getByTestId('reason-cote_hors_tolerance').textContent).toContain('Cote hors tolérance');
    expect(screen.getByTestId('reason-state-1').textContent).toBe('Active');
    expect(screen.getByTestId('reason-state-3').textContent).toBe('Inactive');
    expect(screen.getByTestId('reason-toggle-3').textContent).toBe('Activer');

    fireEvent.change(screen.getByTestId('input-code'), { target: { value: 'Bavure' } });
    fireEvent.change(screen.getByTestId('input-label'), { target: { value: 'Bavure non conforme' } });
    fireEvent.click(screen.getByTestId('reason-add-submit'));
    expect((await screen.findByText(/minuscules, chiffres et « _ »/, { selector: '.field-error, .field-error *' })).textContent).toContain('minuscules');

    fireEvent.change(screen.getByTestId('input-code'), { target: { value: 'bavure' } });
    fireEvent.click(screen.getByTestId('reason-add-submit'));
    await screen.findByTestId('reason-bavure');
    expect(api.made('POST', '/shop-floor/scrap-reasons')[1].body).toEqual({ code: 'bavure', label: 'Bavure non conforme' });
    expect(screen.getByText('Raison « Bavure non conforme » ajoutée.')).toBeTruthy();
    expect((screen.getByTestId('input-code') as HTMLInputElement).value).toBe('');
  });

  it('edits a label inline and deactivates a reason with the record version', async () => {
    let list = REASONS;
    const api = fakeApi(QUALITE, {
      'GET /shop-floor/scrap-reasons': () => json(200, list),
      'PATCH /shop-floor/scrap-reasons/2': (c) => {
        const b = c.body as { label?: string; active?: boolean; version: number };
        const cur = list[1];
        const r = { ...cur, ...(b.label != null ? { label: b.label } : {}), ...(b.active != null ? { active: b.active } : {}), version: cur.version + 1 };
        list = [list[0], r, list[2]];
        return json(200, r);
      },
    });
    at('/shop-floor/reasons', <ReasonsPage />, '/shop-floor/reasons');
    fireEvent.click(await screen.findByTestId('reason-edit-2'));
    const input = screen.getByTestId('reason-label-input-2');
    fireEvent.change(input, { target: { value: 'Défaut matière (paille, inclusion)' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('reason-label-2').textContent).toBe('Défaut matière (paille, inclusion)'));
    expect(api.made('PATCH', '/shop-floor/scrap-reasons/2')[0].body).toEqual({ label: 'Défaut matière (paille, inclusion)', version: 3 });

    fireEvent.click(screen.getByTestId('reason-toggle-2'));
    await waitFor(() => expect(screen.getByTestId('reason-state-2').textContent).toBe('Inactive'));
    expect(api.made('PATCH', '/shop-floor/scrap-reasons/2')[1].body).toEqual({ active: false, version: 4 });
  });

  it('is read-only without the quality update and create rights', async () => {
    fakeApi(meWith({ quality: ['read'] }), { 'GET /shop-floor/scrap-reasons': () => json(200, REASONS) });
    at('/shop-floor/reasons', <ReasonsPage />, '/shop-floor/reasons');
    await screen.findByTestId('reasons-table');
    expect(screen.queryByTestId('reason-edit-1')).toBeNull();
    expect(screen.queryByTestId('reason-toggle-1')).toBeNull();
    expect(screen.queryByTestId('reason-add')).toBeNull();
  });
});

const COMMENT: ShopComment = {
  id: 51,
  operation_id: 102,
  job_id: 21,
  job_number: 'OF-2026-0011',
  position: 20,
  operation_label: 'Tournage complet',
  kind: 'amelioration',
  kind_label: 'Amélioration',
  text: 'Passer en plaquette CNMG 120408 : l’ébauche casse les copeaux mieux.',
  status: 'ouvert',
  status_label: 'Ouvert',
  user_login: 'operateur',
  handled_by: null,
  handled_at: null,
  handled_note: null,
  created_at: '2026-12-07T09:15:00Z',
};

describe('Suggestions de l’atelier', () => {
  it('lists open suggestions with the operation link and marks one handled with a note', async () => {
    let open = [COMMENT, { ...COMMENT, id: 52, kind: 'commentaire', kind_label: 'Commentaire', text: 'Le montage flotte un peu.' }];
    const handled = { ...COMMENT, status: 'traite', status_label: 'Traité', handled_by: 'methode', handled_at: '2026-12-07T10:00:00Z', handled_note: 'Fiche méthode v3' };
    const api = fakeApi(METHODE, {
      'GET /shop-floor/comments': (c) => json(200, c.search.get('status') === 'traite' ? [handled] : open),
      'POST /shop-floor/comments/51/handle': () => {
        open = open.filter((c) => c.id !== 51);
        return json(200, handled);
      },
    });
    at('/shop-floor/comments', <CommentsPage />, '/shop-floor/comments');
    const card = await screen.findByTestId('comment-51');
    expect(api.made('GET', '/shop-floor/comments')[0].search.get('status')).toBe('ouvert');
    expect(within(card).getByTestId('comment-op-link').getAttribute('href')).toBe('/operations/102');
    expect(within(card).getByTestId('comment-op-link').textContent).toBe('OF-2026-0011 · op. 20');
    expect(card.textContent).toContain('Tournage complet');
    expect(card.textContent).toContain('Amélioration');
    expect(card.textContent).toContain('CNMG 120408');
    expect(card.textContent).toContain('Par operateur, le');

    fireEvent.click(within(card).getByTestId('comment-handle-51'));
    fireEvent.change(screen.getByTestId('handle-note'), { target: { value: 'Fiche méthode v3' } });
    fireEvent.click(screen.getByTestId('handle-ok'));
    await waitFor(() => expect(screen.queryByTestId('comment-51')).toBeNull());
    expect(api.made('POST', '/shop-floor/comments/51/handle')[0].body).toEqual({ note: 'Fiche méthode v3' });
    expect(screen.getByText('Suggestion marquée traitée.')).toBeTruthy();
    expect(screen.getByTestId('comment-52')).toBeTruthy();

    fireEvent.click(screen.getByTestId('comments-tab-traite'));
    const done = await screen.findByTestId('comment-51');
    expect(within(done).getByTestId('comment-handled').textContent).toContain('Traitée par methode');
    expect(done.textContent).toContain('« Fiche méthode v3 »');
    expect(within(done).queryByTestId('comment-handle-51')).toBeNull();
  });

  it('sends no note when none is typed and shows the 409 of an already handled suggestion', async () => {
    const api = fakeApi(METHODE, {
      'GET /shop-floor/comments': () => json(200, [COMMENT]),
      'POST /shop-floor/comments/51/handle': () => json(409, { code: 'already_handled', detail: 'Ce commentaire est déjà traité.' }),
    });
    at('/shop-floor/comments', <CommentsPage />, '/shop-floor/comments');
    fireEvent.click(await screen.findByTestId('comment-handle-51'));
    fireEvent.click(screen.getByTestId('handle-ok'));
    expect((await within(screen.getByTestId('handle-sheet')).findByText(/déjà traité/)).textContent).toContain('Ce commentaire est déjà traité.');
    expect(api.made('POST', '/shop-floor/comments/51/handle')[0].body).toEqual({});
  });

  it('says when there is nothing to handle', async () => {
    fakeApi(METHODE, { 'GET /shop-floor/comments': () => json(200, []) });
    at('/shop-floor/comments', <CommentsPage />, '/shop-floor/comments');
    expect((await screen.findByTestId('comments-empty')).textContent).toBe('Aucune suggestion à traiter.');
  });
});

describe('Menu entries', () => {
  const children = (me: Parameters<typeof visibleModules>[0], code: string) => visibleModules(me).find((m) => m.code === code)?.children?.map((c) => c.path) ?? null;

  it('shows the scrap reasons under Qualité with quality:read', () => {
    expect(children(QUALITE, 'quality')).toEqual(['/shop-floor/reasons']);
    expect(children(METHODE, 'quality')).toBeNull();
  });

  it('shows the suggestions under Fiches méthode only with method_sheets:update', () => {
    expect(children(METHODE, 'method_sheets')).toEqual(['/shop-floor/comments']);
    expect(children(OPERATOR, 'method_sheets')).toEqual([]);
  });
});

describe('Offcuts of a finished débit', () => {
  it('lists the offcuts put back in stock with their label button', async () => {
    const view = {
      ...floorOp({ operation: OPS[0], is_debit: true, status: 'termine', status_label: 'Terminée', can: { start: false, pause: false, resume: false, report: false, finish: false } }),
      offcuts: [
        { stock_id: 88, length_mm: '497', diameter_mm: '40', location_id: 2 },
        { stock_id: 89, length_mm: '1250.5', diameter_mm: '40', location_id: 2 },
      ],
    };
    const api = fakeApi(OPERATOR, {
      'GET /shop-floor/operations/101': () => json(200, view),
      'POST /labels': () => new Response(new Blob(['%PDF']), { status: 200, headers: { 'content-type': 'application/pdf' } }),
    });
    vi.stubGlobal('open', vi.fn(() => null));
    const createObjectURL = vi.fn(() => 'blob:x');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    at('/operations/101', <OperationPage />, '/operations/:id');
    const panel = await screen.findByTestId('op-offcuts');
    expect(within(panel).getByTestId('offcut-88').textContent).toContain('Chute Ø40 × 497 mm');
    expect(within(panel).getByTestId('offcut-89').textContent).toContain('Chute Ø40 × 1\u202f250,5 mm');
    fireEvent.click(within(panel).getByTestId('print-labels'));
    fireEvent.click(screen.getByTestId('labels-go'));
    await waitFor(() => expect(api.made('POST', '/labels')[0]?.body).toEqual({ entity: 'material-stock', ids: [88, 89], skip: 0 }));
  });

  it('shows no offcut panel when the operation put none back', async () => {
    fakeApi(OPERATOR, { 'GET /shop-floor/operations/102': () => json(200, floorOp()) });
    at('/operations/102', <OperationPage />, '/operations/:id');
    await screen.findByTestId('operation-head');
    expect(screen.queryByTestId('op-offcuts')).toBeNull();
  });
});

describe('Operator home', () => {
  function home(me: Parameters<typeof fakeApi>[0]) {
    fakeApi(me, {});
    renderApp(
      <RequireAuth>
        <Routes>
          <Route path="/" element={<DashboardPage />} />
          <Route
            path="/shop-floor"
            element={
              <Link to="/" data-testid="menu-dashboard">
                tasks
              </Link>
            }
          />
        </Routes>
      </RequireAuth>,
      '/',
    );
  }

  it('knows who is only an operator', () => {
    expect(isOperatorOnly(['operateur'])).toBe(true);
    expect(isOperatorOnly(['operateur', 'chef_atelier'])).toBe(false);
    expect(isOperatorOnly(['methode'])).toBe(false);
    expect(isOperatorOnly([])).toBe(false);
  });

  it('lands an operator on "Mes tâches", and the dashboard stays reachable from the menu', async () => {
    home(OPERATOR);
    await screen.findByTestId('menu-dashboard');
    expect(screen.getByTestId('where').textContent).toBe('/shop-floor');
    fireEvent.click(screen.getByTestId('menu-dashboard'));
    expect(await screen.findByTestId('dashboard')).toBeTruthy();
    expect(screen.getByTestId('where').textContent).toBe('/');
  });

  it('keeps the dashboard as home for other roles', async () => {
    home(METHODE);
    expect(await screen.findByTestId('dashboard')).toBeTruthy();
    expect(screen.getByTestId('where').textContent).toBe('/');
  });
});
