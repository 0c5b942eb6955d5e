import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { ALL, fakeApi, meWith, type Call } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import { ESTIMATE, LINE, QUOTE } from './fixtures';
import { LineReviewPage } from './LineReviewPage';
import type { Quote, QuoteLine } from './types';

const ME = meWith({ quotes: [...ALL], materials: ['read'], crm: ['read'] });
const GRADES = { items: [{ id: 2, code: '42CrMo4', afnor: '42CD4' }, { id: 5, code: 'C45', afnor: 'XC48' }], total: 2, page: 1, per_page: 500 };

const flat = (s: string | null | undefined) => (s ?? '').replace(/\s/g, ' ');

beforeEach(() => {
  setTokens({ access_token: 'tok', refresh_token: 'ref' });
  URL.createObjectURL = vi.fn(() => 'blob:page-1');
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => vi.unstubAllGlobals());

function setup(opts: { line?: QuoteLine; quote?: Partial<Quote>; patch?: (c: Call) => Response } = {}) {
  const line = opts.line ?? LINE;
  const api = fakeApi(ME, {
    'GET /quotes/7': () => json(200, { ...QUOTE, lines: [line], ...opts.quote }),
    'GET /quote-lines/31': () => json(200, line),
    'GET /materials': () => json(200, GRADES),
    'GET /quote-lines/31/pages/1': () => new Response('PNG', { status: 200, headers: { 'content-type': 'image/png' } }),
    'PATCH /quote-lines/31': opts.patch ?? ((c) => json(200, { ...line, ...(c.body as object), version: line.version + 1 })),
  });
  renderApp(
    <RequireAuth>
      <Routes>
        <Route path="/quotes/:id/lines/:lineId" element={<LineReviewPage />} />
      </Routes>
    </RequireAuth>,
    '/quotes/7/lines/31',
  );
  return api;
}

describe('LineReviewPage', () => {
  it('shows the drawing with its boxes beside the fields, and lights one from the other', async () => {
    setup();
    await screen.findByTestId('line-review');
    expect(screen.getByTestId('line-title').textContent).toBe('Axe de vérin');
    // The page image is fetched with the token and shown through an object URL.
    const img = await within(screen.getByTestId('page-1')).findByRole('img', { name: 'Page 1 du plan AX-4021_B.pdf' });
    expect(img.getAttribute('src')).toBe('blob:page-1');
    const box = screen.getByTestId('box-0');
    expect(box.style.left).toBe('70%');
    expect(box.style.top).toBe('86%');
    expect(box.style.width).toBe('14%');
    expect(box.style.height).toBe('3%');

    // Confidence dots: 0.97 green, 0.72 orange, 0.55 red; a field read on nothing has none.
    expect(within(screen.getByTestId('rf-drawing_number')).getByTestId('conf-dot').getAttribute('data-level')).toBe('high');
    expect(within(screen.getByTestId('rf-grade_id')).getByTestId('conf-dot').getAttribute('data-level')).toBe('medium');
    expect(within(screen.getByTestId('rf-envelope')).getByTestId('conf-dot').getAttribute('data-level')).toBe('low');
    expect(within(screen.getByTestId('rf-critical')).queryByTestId('conf-dot')).toBeNull();
    expect(screen.getByTestId('read-grade_id').textContent).toBe('Lu sur le plan : 42CrMo4');

    // Field → box.
    fireEvent.mouseEnter(screen.getByTestId('rf-drawing_number'));
    expect(box.className).toContain('is-hot');
    expect(screen.getByTestId('box-2').className).not.toContain('is-hot');
    fireEvent.mouseLeave(screen.getByTestId('rf-drawing_number'));
    expect(box.className).not.toContain('is-hot');
    // Box → field.
    fireEvent.mouseEnter(screen.getByTestId('box-2'));
    expect(screen.getByTestId('rf-grade_id').className).toContain('is-hot');
    expect(screen.getByTestId('box-2').className).toContain('is-hot');
    fireEvent.mouseLeave(screen.getByTestId('box-2'));
    // Read-only list row → its box.
    fireEvent.mouseEnter(screen.getByTestId('extracted-4'));
    expect(screen.getByTestId('box-4').className).toContain('is-hot');
    expect(screen.getByTestId('extracted-4').textContent).toContain('Ø25 g6');

    // Missing fields are asked, assumptions and warnings listed.
    expect(screen.getByTestId('missing-surface_treatment').textContent).toContain('Classe de zingage non précisée');
    expect(screen.getByTestId('assumptions').textContent).toContain('longueur tournée supposée 60 mm');
    expect(screen.getByTestId('warnings').textContent).toContain('partiellement illisible');
  });

  it('shows the estimate: three scenarios per quantity, the routing and "Pourquoi ce prix ?"', async () => {
    setup();
    await screen.findByTestId('estimate');
    expect(screen.getAllByTestId(/^scenario-head-/).map((th) => th.textContent)).toEqual(['Économique', 'Standard', 'Express']);
    const std50 = screen.getByTestId('scenario-50-standard');
    expect(std50.getAttribute('aria-pressed')).toBe('true');
    expect(flat(std50.textContent)).toContain('48,00 € / pièce');
    expect(flat(std50.textContent)).toContain('Total 2 400,00 €');
    expect(flat(std50.textContent)).toContain('marge 68,7 %');
    expect(flat(std50.textContent)).toContain('18 j ouvrés');
    expect(screen.getByTestId('scenario-10-express').textContent).toContain('Délai 5 jours ouvrés avec heures du soir.');

    const op20 = screen.getByTestId('op-20');
    expect(op20.textContent).toContain('Tournage');
    expect(op20.textContent).toContain('TOUR-02');
    expect(flat(op20.textContent)).toContain('1,05');
    fireEvent.click(screen.getByTestId('op-expand-20'));
    expect(screen.getByTestId('candidate-5').textContent).toContain('Puissance insuffisante pour 42CrMo4');
    expect(screen.getByTestId('candidate-5').textContent).toContain('Non capable');

    expect(screen.getByTestId('issue-question').textContent).toContain('Aucun prix de zingage');
    expect(screen.getByTestId('raw-stock').textContent).toContain('Débit Ø45 × 124');
    expect(screen.getByTestId('tools-to-buy').textContent).toContain('Peigne M12×1,25');
    const trace = screen.getByTestId('trace-op20.cycle');
    expect(trace.textContent).toContain('Cycle tournage');
    expect(trace.textContent).toContain('Chariotage = 2,4 min');
    expect(trace.textContent).toContain('Formule');
    expect(screen.getByTestId('trace-vc.P.tournage').textContent).toContain('Valeur par défaut (norme)');

    // An open question keeps the line from being validated, and says so.
    expect((screen.getByTestId('validate-line') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('validate-reason').textContent).toBe('Des questions restent ouvertes dans le chiffrage : voir ci-dessous.');
  });

  it('checks the quantities locally, then PATCHes only what changed with the version', async () => {
    const api = setup();
    const qty = (await screen.findByTestId('input-quantities')) as HTMLInputElement;
    expect(qty.value).toBe('10, 50');
    fireEvent.change(qty, { target: { value: '1, x' } });
    expect(screen.getByTestId('validate-reason').textContent).toBe('Enregistrez d’abord vos modifications.');
    fireEvent.click(screen.getByTestId('save-line'));
    expect((await screen.findByTestId('error-quantities')).textContent).toBe('« x » n’est pas une quantité (nombre entier attendu).');
    expect(api.made('PATCH', '/quote-lines/31')).toHaveLength(0);

    fireEvent.change(qty, { target: { value: '1, 10,50' } });
    fireEvent.change(screen.getByTestId('input-envelope.length'), { target: { value: '122,5' } });
    fireEvent.click(screen.getByTestId('save-line'));
    await screen.findByText('Ligne enregistrée, chiffrage recalculé.');
    expect(api.made('PATCH', '/quote-lines/31')[0].body).toEqual({
      quantities: [1, 10, 50],
      envelope: { diameter: 40, length: 122.5, width: null, height: null },
      version: 4,
    });
    // The form reloads from the answer (version 5): nothing left to save.
    await waitFor(() => expect((screen.getByTestId('save-line') as HTMLButtonElement).disabled).toBe(true));
    expect((screen.getByTestId('input-quantities') as HTMLInputElement).value).toBe('1, 10, 50');
  });

  it('puts a server error under its field', async () => {
    setup({ patch: () => json(422, { code: 'validation', detail: 'Données invalides.', errors: [{ field: 'grade_id', code: 'unknown', message: 'Nuance inconnue.' }] }) });
    await screen.findByRole('option', { name: 'C45 — XC48' });
    fireEvent.change(screen.getByTestId('input-grade_id'), { target: { value: '5' } });
    fireEvent.click(screen.getByTestId('save-line'));
    expect((await screen.findByTestId('error-grade_id')).textContent).toBe('Nuance inconnue.');
  });

  it('selects a quantity and a scenario', async () => {
    const api = setup();
    fireEvent.click(await screen.findByTestId('scenario-10-express'));
    await screen.findByText('Prix retenu : Express, 10 pièce(s).');
    expect(api.made('PATCH', '/quote-lines/31')[0].body).toEqual({ selected_quantity: 10, selected_scenario: 'express', version: 4 });
    await waitFor(() => expect(screen.getByTestId('scenario-10-express').getAttribute('aria-pressed')).toBe('true'));
  });

  it('validates a line whose estimate has no open question', async () => {
    const line: QuoteLine = { ...LINE, missing: [], estimate: { ...ESTIMATE, complete: true, issues: [ESTIMATE.issues[0]] } };
    const api = setup({ line, patch: (c) => json(200, { ...line, ...(c.body as object), reviewed_by_name: 'Camille Commerciale', reviewed_at: '2026-11-21T10:00:00Z', version: 5 }) });
    const btn = (await screen.findByTestId('validate-line')) as HTMLButtonElement;
    expect(btn.disabled).toBe(false);
    expect(screen.queryByTestId('validate-reason')).toBeNull();
    fireEvent.click(btn);
    await screen.findByText('Ligne validée.');
    expect(api.made('PATCH', '/quote-lines/31')[0].body).toEqual({ reviewed: true, version: 4 });
    expect((await screen.findByTestId('reviewed-badge')).textContent).toContain('Vérifiée par Camille Commerciale le 21/11/2026');
  });

  it('is read-only once the quote has left the draft status', async () => {
    setup({ quote: { status: 'envoye', status_label: 'Envoyé' } });
    await screen.findByTestId('line-review');
    expect(screen.queryByTestId('save-line')).toBeNull();
    expect(screen.queryByTestId('reanalyze')).toBeNull();
    expect((screen.getByTestId('input-part_name') as HTMLInputElement).readOnly).toBe(true);
    expect((screen.getByTestId('scenario-10-standard') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('validate-reason').textContent).toContain('n’est pas en brouillon');
  });

  it('shows the analysis in progress', async () => {
    setup({ line: { ...LINE, analysis_status: 'en_cours', analysis_status_label: 'Analyse en cours', estimate: null } });
    expect((await screen.findByTestId('analysing')).textContent).toContain('Analyse du plan en cours');
    expect(screen.getByTestId('analysis-badge').getAttribute('aria-busy')).toBe('true');
    expect((screen.getByTestId('input-part_name') as HTMLInputElement).readOnly).toBe(true);
    expect(screen.getByTestId('no-estimate').textContent).toBe('Analyse du plan en cours.');
  });
});
