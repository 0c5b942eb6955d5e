import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { ALL, fakeApi, meWith } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import { LINE, QUOTE } from './fixtures';
import { QuotePage } from './QuotePages';
import type { Quote } from './types';

const ME = meWith({ quotes: [...ALL], materials: ['read'], crm: ['read'] });
const GRADES = { items: [{ id: 2, code: '42CrMo4', afnor: '42CD4' }], total: 1, page: 1, per_page: 500 };
const flat = (s: string | null | undefined) => (s ?? '').replace(/\s/g, ' ');

beforeEach(() => {
  setTokens({ access_token: 'tok', refresh_token: 'ref' });
  URL.createObjectURL = vi.fn(() => 'blob:thumb');
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => vi.unstubAllGlobals());

function render(url: string) {
  renderApp(
    <RequireAuth>
      <Routes>
        <Route path="/quotes/:id" element={<QuotePage />} />
        <Route path="/quotes/:id/lines/:lineId" element={<div data-testid="line-screen" />} />
      </Routes>
    </RequireAuth>,
    url,
  );
}

const png = () => new Response('PNG', { status: 200, headers: { 'content-type': 'image/png' } });

describe('QuotePage', () => {
  it('creates a quote for a chosen client, then opens it', async () => {
    const api = fakeApi(ME, {
      'GET /clients': () => json(200, { items: [{ id: 3, name: 'Aviaxe Structures SAS', siret: '73282932000074' }], total: 1, page: 1, per_page: 20 }),
      'POST /quotes': () => json(201, QUOTE),
      'GET /quotes/7': () => json(200, QUOTE),
      'GET /quote-lines/31/pages/1': png,
    });
    render('/quotes/new');
    await screen.findByTestId('quote-create');
    fireEvent.click(screen.getByTestId('save'));
    expect((await screen.findByTestId('error-client_id')).textContent).toBe('Choisissez un client.');
    expect(api.made('POST', '/quotes')).toHaveLength(0);
    fireEvent.focus(screen.getByTestId('pick-client'));
    fireEvent.change(screen.getByTestId('pick-client'), { target: { value: 'avi' } });
    fireEvent.click(await screen.findByTestId('pick-client-option'));
    fireEvent.change(screen.getByTestId('input-subject'), { target: { value: 'Axes de vérin' } });
    fireEvent.change(screen.getByTestId('input-valid_until'), { target: { value: '2026-12-31' } });
    fireEvent.click(screen.getByTestId('save'));
    await screen.findByTestId('quote-detail');
    expect(api.made('POST', '/quotes')[0].body).toEqual({ client_id: 3, subject: 'Axes de vérin', valid_until: '2026-12-31' });
    expect(screen.getByTestId('where').textContent).toBe('/quotes/7');
  });

  it('lists the lines with their standard price and analysis state', async () => {
    const pending = { ...LINE, id: 32, position: 2, analysis_status: 'en_cours' as const, analysis_status_label: 'Analyse en cours', estimate: null, drawing_number: null, part_name: null };
    fakeApi(ME, {
      'GET /quotes/7': () => json(200, { ...QUOTE, lines: [LINE, pending] }),
      'GET /quote-lines/31/pages/1': png,
      'GET /quote-lines/32/pages/1': png,
    });
    render('/quotes/7');
    const row = await screen.findByTestId('line-31');
    expect(row.textContent).toContain('AX-4021');
    expect(row.textContent).toContain('ind. B');
    expect(row.textContent).toContain('42CrMo4');
    expect(flat(row.textContent)).toContain('10 / 50');
    expect(flat(screen.getByTestId('line-price-31').textContent)).toBe('2 400,00 €50 × 48,00 €');
    expect(within(screen.getByTestId('line-32')).getByTestId('analysis-badge').textContent).toBe('Analyse en cours');
    expect(screen.getByTestId('analysis-progress').textContent).toContain('1 / 2 plans analysés');
    expect(screen.getByTestId('review-line-31').getAttribute('href')).toBe('/quotes/7/lines/31');
    expect(flat(screen.getByTestId('quote-total').textContent)).toBe('2 400,00 €');
    expect(await within(row).findByRole('img')).toBeTruthy();
  });

  it('uploads several drawings with the requested quantities (multipart)', async () => {
    const api = fakeApi(ME, {
      'GET /quotes/7': () => json(200, { ...QUOTE, lines: [] }),
      'POST /quotes/7/drawings': () => json(202, [LINE, { ...LINE, id: 33 }]),
    });
    render('/quotes/7');
    await screen.findByTestId('no-lines');
    const files = [new File(['%PDF-1.4'], 'AX-4021_B.pdf', { type: 'application/pdf' }), new File(['0 SECTION'], 'platine.dxf', { type: 'application/dxf' })];
    fireEvent.change(screen.getByTestId('drawing-files'), { target: { files } });
    expect(screen.getByTestId('chosen-files').textContent).toContain('platine.dxf');
    fireEvent.change(screen.getByTestId('input-upload_quantities'), { target: { value: '1, dix' } });
    expect(screen.getByTestId('error-upload_quantities').textContent).toBe('« dix » n’est pas une quantité (nombre entier attendu).');
    expect((screen.getByTestId('upload-drawings') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('input-upload_quantities'), { target: { value: '50, 1,10' } });
    fireEvent.click(screen.getByTestId('upload-drawings'));
    await screen.findByText('2 plan(s) envoyé(s) pour analyse.');
    const body = api.made('POST', '/quotes/7/drawings')[0].body as FormData;
    expect(body.getAll('file').map((f) => (f as File).name)).toEqual(['AX-4021_B.pdf', 'platine.dxf']);
    expect(body.get('quantities')).toBe('1,10,50');
  });

  it('adds a manual line and opens its review screen', async () => {
    const api = fakeApi(ME, {
      'GET /quotes/7': () => json(200, { ...QUOTE, lines: [] }),
      'GET /materials': () => json(200, GRADES),
      'POST /quotes/7/lines': () => json(201, { ...LINE, id: 40, drawing: null }),
    });
    render('/quotes/7');
    fireEvent.click(await screen.findByTestId('add-manual-line'));
    const form = screen.getByTestId('manual-line-form');
    fireEvent.change(within(form).getByTestId('input-part_name'), { target: { value: 'Axe Ø40' } });
    await within(form).findByRole('option', { name: '42CrMo4 — 42CD4' });
    fireEvent.change(within(form).getByTestId('input-grade_id'), { target: { value: '2' } });
    fireEvent.change(within(form).getByTestId('input-quantities'), { target: { value: '10,50' } });
    fireEvent.change(within(form).getByTestId('input-envelope.diameter'), { target: { value: '40' } });
    fireEvent.change(within(form).getByTestId('input-envelope.length'), { target: { value: '120' } });
    fireEvent.click(screen.getByTestId('save-manual-line'));
    await screen.findByTestId('line-screen');
    expect(api.made('POST', '/quotes/7/lines')[0].body).toEqual({
      part_name: 'Axe Ø40',
      grade_id: 2,
      quantities: [10, 50],
      shape: 'turned',
      envelope: { diameter: 40, length: 120, width: null, height: null },
    });
    expect(screen.getByTestId('where').textContent).toBe('/quotes/7/lines/40');
  });

  it('asks before marking a sent quote as refused, with an optional comment', async () => {
    const sent: Quote = { ...QUOTE, status: 'envoye', status_label: 'Envoyé', transitions: [{ status: 'accepte', label: 'Accepté' }, { status: 'refuse', label: 'Refusé' }, { status: 'brouillon', label: 'Nouvelle révision' }] };
    const api = fakeApi(ME, {
      'GET /quotes/7': () => json(200, sent),
      'GET /quote-lines/31/pages/1': png,
      'POST /quotes/7/status': () => json(200, { ...sent, status: 'refuse', status_label: 'Refusé', transitions: [] }),
    });
    render('/quotes/7');
    await screen.findByTestId('quote-detail');
    expect(screen.getByTestId('status-current').textContent).toBe('Envoyé');
    expect(screen.queryByTestId('drawing-upload')).toBeNull();
    expect((screen.getByTestId('input-subject') as HTMLInputElement).readOnly).toBe(true);
    fireEvent.click(screen.getByTestId('transition-refuse'));
    const dialog = screen.getByTestId('transition-dialog');
    expect(api.made('POST', '/quotes/7/status')).toHaveLength(0);
    fireEvent.change(within(dialog).getByTestId('input-comment'), { target: { value: 'Concurrent moins cher' } });
    fireEvent.click(within(dialog).getByTestId('confirm-ok'));
    await screen.findByText('Devis passé au statut « Refusé ».');
    expect(api.made('POST', '/quotes/7/status')[0].body).toEqual({ status: 'refuse', comment: 'Concurrent moins cher' });
    await waitFor(() => expect(screen.getByTestId('status-current').textContent).toBe('Refusé'));
  });

  it('moves a draft forward without asking and saves header changes with the version', async () => {
    const api = fakeApi(ME, {
      'GET /quotes/7': () => json(200, QUOTE),
      'GET /quote-lines/31/pages/1': png,
      'PATCH /quotes/7': () => json(200, { ...QUOTE, customer_reference: 'CDE-88', version: 4 }),
      'POST /quotes/7/status': () => json(422, { code: 'lines_not_reviewed', detail: 'Toutes les lignes doivent être vérifiées avant validation.' }),
    });
    render('/quotes/7');
    fireEvent.change(await screen.findByTestId('input-customer_reference'), { target: { value: 'CDE-88' } });
    expect((screen.getByTestId('transition-a_valider') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('save'));
    await screen.findByText('Devis enregistré.');
    expect(api.made('PATCH', '/quotes/7')[0].body).toEqual({ customer_reference: 'CDE-88', version: 3 });
    await waitFor(() => expect((screen.getByTestId('transition-a_valider') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('transition-a_valider'));
    await screen.findByText('Toutes les lignes doivent être vérifiées avant validation.');
    expect(api.made('POST', '/quotes/7/status')[0].body).toEqual({ status: 'a_valider' });
  });
});
