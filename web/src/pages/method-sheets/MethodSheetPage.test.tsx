import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { ALL, fakeApi, meWith } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import { COND_TURN, SHEET } from './fixtures';
import { MethodSheetPage } from './MethodSheetPage';
import type { MethodSheet } from './types';

const ME = meWith({ routings: ['read'], method_sheets: [...ALL] });
const VERSIONS = [
  { version: 1, changed_by: 'Système', created_at: '2026-11-25T10:00:00Z', summary: 'Fiche générée' },
  { version: 2, changed_by: 'Sandrine Bessenay', created_at: '2026-11-26T09:30:00Z', summary: 'Mors doux' },
];
const side = {
  'GET /method-sheets/202/versions': () => json(200, VERSIONS),
  'GET /attachments': () => json(200, []),
};
const flat = (s: string | null | undefined) => (s ?? '').replace(/\s/g, ' ');

beforeEach(() => setTokens({ access_token: 'tok', refresh_token: 'ref' }));
afterEach(() => vi.unstubAllGlobals());

function render(url = '/method-sheets/202') {
  renderApp(
    <RequireAuth>
      <Routes>
        <Route path="/method-sheets/:id" element={<MethodSheetPage />} />
      </Routes>
    </RequireAuth>,
    url,
  );
}

describe('MethodSheetPage', () => {
  it('shows the header, what is to fill in, and the computed conditions with their warnings', async () => {
    fakeApi(ME, { ...side, 'GET /method-sheets/202': () => json(200, SHEET) });
    render();
    const head = await screen.findByTestId('sheet-head');
    expect(head.textContent).toContain('OF-2026-0011');
    expect(head.textContent).toContain('Tournage complet');
    expect(screen.getByTestId('sheet-machine').textContent).toBe('TOUR-02 — Tour CN Mazak QT 250');
    expect(screen.getByTestId('missing-box').textContent).toContain('Vc du taraud T05');
    // Empty set-up fields carry the orange hint.
    expect(screen.getByTestId('setup-datums').textContent).toContain('à renseigner');
    expect(screen.getByTestId('setup-zero_point').textContent).toContain('à renseigner');
    expect(screen.getByTestId('setup-fixturing').textContent).not.toContain('à renseigner');
    const t0 = screen.getByTestId('tool-0-conditions');
    expect(flat(within(t0).getByTestId('cond-n').textContent)).toBe('1 530 tr/min');
    expect(flat(within(t0).getByTestId('cond-vf').textContent)).toBe('382 mm/min');
    expect(within(t0).getByTestId('cond-power').getAttribute('data-level')).toBe('ok');
    expect(flat(within(t0).getByTestId('cond-power').textContent)).toContain('4,12 / 5,5 kW');
    expect(within(t0).getByTestId('cond-source').textContent).toBe('Base interne (C45, tournage)');
    const t1 = screen.getByTestId('tool-1-conditions');
    expect(within(t1).getByTestId('cond-warning').getAttribute('data-level')).toBe('danger');
    expect(within(t1).getByTestId('cond-vc').textContent).toContain('à renseigner');
    expect(screen.getByTestId('tool-1').className).toContain('ms-tool-danger');
  });

  it('saves the edited content with the version and a summary, then shows the recomputed conditions', async () => {
    const saved: MethodSheet = {
      ...SHEET,
      version: 3,
      content: { ...SHEET.content, setup: { ...SHEET.content.setup, datums: 'Appui face A' }, tools: [{ ...SHEET.content.tools[0], ap: 1.5, conditions: { ...COND_TURN, rounded: { ...COND_TURN.rounded, q_cm3_min: 90 } } }, SHEET.content.tools[1]] },
    };
    const api = fakeApi(ME, { ...side, 'GET /method-sheets/202': () => json(200, SHEET), 'PUT /method-sheets/202': () => json(200, saved) });
    render();
    await screen.findByTestId('sheet-head');
    expect((screen.getByTestId('save') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('input-setup-datums'), { target: { value: 'Appui face A' } });
    fireEvent.change(screen.getByTestId('tool-0-ap'), { target: { value: '1,5' } });
    // The conditions shown were computed for ap 2: the screen says they will be recomputed.
    expect(screen.getByTestId('tool-0-stale')).toBeTruthy();
    fireEvent.click(screen.getByTestId('cam-steps-add'));
    fireEvent.change(screen.getByTestId('cam-steps-3-input'), { target: { value: 'Chanfrein 1×45°' } });
    fireEvent.click(screen.getByTestId('cam-steps-3-up'));
    fireEvent.change(screen.getByTestId('summary'), { target: { value: 'Appuis précisés' } });
    fireEvent.click(screen.getByTestId('save'));
    await screen.findByText('Fiche méthode enregistrée (v3).');
    const body = api.made('PUT', '/method-sheets/202')[0].body as { version: number; summary: string; content: MethodSheet['content'] };
    expect(body.version).toBe(2);
    expect(body.summary).toBe('Appuis précisés');
    expect(body.content.setup.datums).toBe('Appui face A');
    expect(body.content.tools[0].ap).toBe(1.5);
    expect(body.content.tools[0].conditions).toBeUndefined();
    expect(body.content.cam_steps).toEqual(['Dressage face', 'Ébauche Ø45,5', 'Chanfrein 1×45°', 'Finition Ø45 h7']);
    await waitFor(() => expect(screen.queryByTestId('tool-0-stale')).toBeNull());
    expect(flat(within(screen.getByTestId('tool-0-conditions')).getByTestId('cond-q').textContent)).toBe('90 cm³/min');
  });

  it('does not send a fractional number of teeth', async () => {
    const api = fakeApi(ME, { ...side, 'GET /method-sheets/202': () => json(200, SHEET) });
    render();
    fireEvent.change(await screen.findByTestId('tool-0-teeth'), { target: { value: '2,5' } });
    fireEvent.click(screen.getByTestId('save'));
    await screen.findByTestId('local-errors');
    expect(api.made('PUT', '/method-sheets/202')).toHaveLength(0);
    expect(screen.getByTestId('tool-0-teeth').getAttribute('aria-invalid')).toBe('true');
  });

  it('is read-only for someone who may not edit it, and says who may', async () => {
    fakeApi(meWith({ routings: ['read'], method_sheets: ['read'] }), { ...side, 'GET /method-sheets/202': () => json(200, { ...SHEET, can_edit: false }) });
    render();
    expect((await screen.findByTestId('read-only-note')).textContent).toBe(
      'Lecture seule : seuls les méthodes, le chef d’atelier ou l’administrateur modifient une fiche méthode.',
    );
    expect(screen.queryByTestId('save')).toBeNull();
    expect(screen.queryByTestId('add-tool')).toBeNull();
    expect((screen.getByTestId('input-setup-fixturing') as HTMLTextAreaElement).readOnly).toBe(true);
    expect((screen.getByTestId('tool-0-ap') as HTMLInputElement).readOnly).toBe(true);
    expect((screen.getByTestId('tool-0-kind') as HTMLSelectElement).disabled).toBe(true);
    expect(screen.queryByTestId('cam-steps-0-input')).toBeNull();
  });

  it('lets méthode reorder the cutting data sources of the shop', async () => {
    const settings = { source_priority: ['base_interne', 'fournisseur', 'manuel'], use_norm_defaults: true, chip_thinning: true, max_thinning_factor: 2 };
    const api = fakeApi(ME, {
      ...side,
      'GET /method-sheets/202': () => json(200, SHEET),
      'GET /cutting/settings': () => json(200, settings),
      'PUT /cutting/settings': (c) => json(200, c.body),
    });
    render();
    fireEvent.click(within(await screen.findByTestId('cutting-settings')).getByText('Paramètres de coupe de l’atelier'));
    fireEvent.click(await screen.findByTestId('prio-up-fournisseur'));
    fireEvent.click(screen.getByTestId('use-norm-defaults'));
    fireEvent.click(screen.getByTestId('save-cutting-settings'));
    await screen.findByText('Paramètres de coupe enregistrés.');
    expect(api.made('PUT', '/cutting/settings')[0].body).toEqual({ source_priority: ['fournisseur', 'base_interne', 'manuel'], use_norm_defaults: false, chip_thinning: true, max_thinning_factor: 2 });
  });

  it('shows the cutting settings read-only to someone who may not validate method sheets', async () => {
    fakeApi(meWith({ method_sheets: ['read', 'update'] }), {
      ...side,
      'GET /method-sheets/202': () => json(200, SHEET),
      'GET /cutting/settings': () => json(200, { source_priority: ['base_interne'], use_norm_defaults: true, chip_thinning: false, max_thinning_factor: 2 }),
    });
    render();
    await screen.findByTestId('cutting-settings-form');
    expect(screen.queryByTestId('save-cutting-settings')).toBeNull();
    expect((screen.getByTestId('use-norm-defaults') as HTMLInputElement).disabled).toBe(true);
  });

  it('shows an old version read-only with a way back', async () => {
    fakeApi(ME, { ...side, 'GET /method-sheets/202/versions/1': () => json(200, { ...SHEET, version: 2, history_version: 1 }) });
    render('/method-sheets/202?version=1');
    expect((await screen.findByTestId('history-banner')).textContent).toContain('Version 1');
    expect(screen.queryByTestId('save')).toBeNull();
    expect(screen.getByTestId('back-to-current').getAttribute('href')).toBe('/method-sheets/202');
    expect(await screen.findByTestId('view-version-2')).toBeTruthy();
  });
});
