import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { ALL, fakeApi, meWith } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import { ORDER, VALIDATED } from './fixtures';
import { OrderPage } from './OrderPages';
import { PoImportPage } from './PoImportPage';
import { PO_IMPORT_RAW } from './fixtures';

const ME = meWith({ orders: [...ALL], crm: ['read'] });
const flat = (s: string | null | undefined) => (s ?? '').replace(/\s/g, ' ');
const side = { 'GET /qr/orders/5.svg': () => new Response('<svg/>', { status: 200 }), 'GET /orders/5/history': () => json(200, []) };

beforeEach(() => setTokens({ access_token: 'tok', refresh_token: 'ref' }));
afterEach(() => vi.unstubAllGlobals());

function render(url: string) {
  renderApp(
    <RequireAuth>
      <Routes>
        <Route path="/orders/import" element={<PoImportPage />} />
        <Route path="/orders/:id" element={<OrderPage />} />
      </Routes>
    </RequireAuth>,
    url,
  );
}

describe('OrderPage', () => {
  it('edits the lines of a pending order, recomputing totals, and saves them with the version', async () => {
    const api = fakeApi(ME, { ...side, 'GET /orders/5': () => json(200, ORDER), 'PATCH /orders/5': () => json(200, { ...ORDER, version: 4 }) });
    render('/orders/5');
    await screen.findByTestId('order-detail');
    expect(screen.getByTestId('warnings').textContent).toContain('Date promise antérieure');
    expect(flat(screen.getByTestId('line-1-total').textContent)).toBe('123,45 €');
    fireEvent.change(screen.getByTestId('line-1-quantity'), { target: { value: '3' } });
    // 3 × 12,345 € = 37,035 € → 37,04 €; 2 400 + 37,04 = 2 437,04 €.
    expect(flat(screen.getByTestId('line-1-total').textContent)).toBe('37,04 €');
    expect(flat(screen.getByTestId('lines-total').textContent)).toBe('2 437,04 €');
    expect(flat(screen.getByTestId('order-total').textContent)).toBe('2 437,04 €');
    // Unsaved changes block the status buttons.
    expect((screen.getByTestId('transition-validee') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('save'));
    await screen.findByText('Commande enregistrée.');
    const body = api.made('PATCH', '/orders/5')[0].body as Record<string, unknown>;
    expect(body.version).toBe(3);
    expect(body.lines).toEqual([
      { quote_line_id: 31, reference: 'AX-4021', revision: 'B', designation: 'Axe de vérin', grade_id: 2, quantity: 50, unit_price: '48', requested_date: '2026-12-18', critical: false },
      { quote_line_id: 32, reference: 'BR-118', revision: 'A', designation: 'Bride de fixation', grade_id: 5, quantity: 3, unit_price: '12.345', requested_date: null, critical: true },
    ]);
  });

  it('says that validating generates the jobs and routings, then shows each line with its job', async () => {
    const api = fakeApi(ME, { ...side, 'GET /orders/5': () => json(200, ORDER), 'POST /orders/5/status': () => json(200, VALIDATED) });
    render('/orders/5');
    expect((await screen.findByTestId('validate-hint')).textContent).toBe('Valider la commande génère les OF et les gammes.');
    fireEvent.click(screen.getByTestId('transition-validee'));
    const dialog = screen.getByTestId('transition-dialog');
    expect(dialog.textContent).toContain('Valider la commande génère les OF et les gammes : 2 OF seront créés');
    expect(api.made('POST', '/orders/5/status')).toHaveLength(0);
    fireEvent.click(within(dialog).getByTestId('confirm-ok'));
    await waitFor(() => expect(screen.getByTestId('status-current').textContent).toBe('Validée'));
    expect(api.made('POST', '/orders/5/status')[0].body).toEqual({ status: 'validee' });
    expect(screen.getByTestId('job-link-21').getAttribute('href')).toBe('/jobs/21');
    expect(screen.getByTestId('line-job-12').textContent).toContain('OF-2026-0012');
    expect(screen.getByTestId('line-job-12').textContent).toContain('Prêt');
    expect(screen.queryByTestId('line-0-quantity')).toBeNull();
  });

  it('locks the control sheet ticked for a critical order', async () => {
    fakeApi(ME, { ...side, 'GET /orders/5': () => json(200, { ...ORDER, critical: true, control_sheet: true }) });
    render('/orders/5');
    const box = (await screen.findByTestId('input-control_sheet')) as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(box.disabled).toBe(true);
    expect(screen.getByTestId('control-sheet-locked').textContent).toContain('Obligatoire pour un travail critique');
  });

  it('makes a delivery note, refusing more than what is left', async () => {
    const api = fakeApi(ME, {
      ...side,
      'GET /orders/5': () => json(200, VALIDATED),
      'POST /orders/5/deliveries': () => json(201, { ...VALIDATED, deliveries: [...VALIDATED.deliveries, { ...VALIDATED.deliveries[0], id: 2, number: 'BL-2026-0004' }] }),
    });
    render('/orders/5');
    expect((await screen.findByTestId('delivery-1')).textContent).toContain('BL-2026-0003');
    fireEvent.click(screen.getByTestId('deliver'));
    const dialog = screen.getByTestId('deliver-dialog');
    expect(within(dialog).getByTestId('remaining-12').textContent).toBe('6');
    expect((within(dialog).getByTestId('deliver-qty-11') as HTMLInputElement).value).toBe('50');
    fireEvent.change(within(dialog).getByTestId('deliver-qty-12'), { target: { value: '7' } });
    fireEvent.click(within(dialog).getByTestId('confirm-ok'));
    expect(within(dialog).getByTestId('deliver-error').textContent).toBe('Pas plus que le reste à livrer (6) pour BR-118.');
    expect(api.made('POST', '/orders/5/deliveries')).toHaveLength(0);
    fireEvent.change(within(dialog).getByTestId('deliver-qty-11'), { target: { value: '20' } });
    fireEvent.change(within(dialog).getByTestId('deliver-qty-12'), { target: { value: '0' } });
    fireEvent.change(within(dialog).getByTestId('input-packages'), { target: { value: '2' } });
    fireEvent.click(within(dialog).getByTestId('confirm-ok'));
    await screen.findByText('Bon de livraison BL-2026-0004 créé.');
    const body = api.made('POST', '/orders/5/deliveries')[0].body as Record<string, unknown>;
    expect(body.lines).toEqual([{ order_line_id: 11, quantity: 20 }]);
    expect(body.packages).toBe(2);
  });

  it('creates an order for a chosen client', async () => {
    const api = fakeApi(ME, {
      'GET /clients': () => json(200, { items: [{ id: 3, name: 'Aviaxe Structures SAS', critical: false, sectors: ['aeronautique'] }], total: 1, page: 1, per_page: 20 }),
      'POST /orders': () => json(201, ORDER),
      ...side,
      'GET /orders/5': () => json(200, ORDER),
    });
    render('/orders/new');
    await screen.findByTestId('order-create');
    fireEvent.click(screen.getByTestId('save'));
    expect((await screen.findByTestId('error-client_id')).textContent).toBe('Choisissez un client.');
    fireEvent.focus(screen.getByTestId('pick-client'));
    fireEvent.change(screen.getByTestId('pick-client'), { target: { value: 'avi' } });
    fireEvent.click(await screen.findByTestId('pick-client-option'));
    // An aerospace client: critical and control sheet forced.
    expect((screen.getByTestId('input-critical') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId('input-control_sheet') as HTMLInputElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('line-0-designation'), { target: { value: 'Axe' } });
    fireEvent.change(screen.getByTestId('line-0-quantity'), { target: { value: '25' } });
    fireEvent.change(screen.getByTestId('line-0-unit_price'), { target: { value: '31,20' } });
    expect(flat(screen.getByTestId('line-0-total').textContent)).toBe('780,00 €');
    fireEvent.click(screen.getByTestId('save'));
    await screen.findByTestId('order-detail');
    const body = api.made('POST', '/orders')[0].body as Record<string, unknown>;
    expect(body.client_id).toBe(3);
    expect(body.critical).toBe(true);
    expect(body.control_sheet).toBe(true);
    expect(body.lines).toEqual([{ quote_line_id: null, reference: null, revision: null, designation: 'Axe', grade_id: null, quantity: 25, unit_price: '31.2', requested_date: null, critical: false }]);
    expect(screen.getByTestId('where').textContent).toBe('/orders/5');
  });
});

describe('PoImportPage', () => {
  const upload = () => {
    const file = new File(['%PDF-1.4'], 'BC-88121.pdf', { type: 'application/pdf' });
    fireEvent.change(screen.getByTestId('po-file-input'), { target: { files: [file] } });
    fireEvent.click(screen.getByTestId('po-read'));
  };

  it('shows the French message of a PO matching no quote', async () => {
    fakeApi(ME, { 'POST /orders/po-import': () => json(422, { code: 'po_no_match', detail: 'Aucun devis ne correspond à ce bon de commande (référence « DV-9999 » inconnue).' }) });
    render('/orders/import');
    await screen.findByTestId('po-upload');
    upload();
    expect((await screen.findByTestId('po-no-match')).textContent).toContain('Aucun devis ne correspond à ce bon de commande');
  });

  it('reviews the read PO, flags the differences, lets the person correct them, then confirms', async () => {
    const api = fakeApi(ME, {
      'POST /orders/po-import': () => json(200, PO_IMPORT_RAW),
      'POST /orders/po-import/confirm': () => json(200, ORDER),
      ...side,
      'GET /orders/5': () => json(200, ORDER),
    });
    render('/orders/import');
    await screen.findByTestId('po-upload');
    upload();
    await screen.findByTestId('po-review');
    expect((api.made('POST', '/orders/po-import')[0].body as FormData).get('file')).toBeInstanceOf(File);
    expect((screen.getByTestId('input-customer_po_number') as HTMLInputElement).value).toBe('PO-88121');
    expect(screen.getByTestId('po-quote-link').textContent).toBe('D-2026-0042');
    expect(screen.getByTestId('po-existing-order')).toBeTruthy();
    // The server's own sentence while the line is as read.
    expect(screen.getByTestId('po-flags-0').textContent).toBe('Quantité différente : 60 sur la commande, 50 au devis');
    fireEvent.change(screen.getByTestId('po-qty-0'), { target: { value: '55' } });
    expect(screen.getByTestId('po-flags-0').textContent).toBe('Quantité différente (devis : 50)');
    expect(flat(screen.getByTestId('po-flags-1').textContent)).toContain('Prix différent (devis : 12,50 €)');
    expect(screen.getByTestId('po-flags-1').textContent).toContain('Indice différent (devis : A)');
    expect(within(screen.getByTestId('po-conf-1')).getByTestId('conf').getAttribute('data-level')).toBe('medium');
    // The person accepts the quote's quantity on line 1: the flag goes.
    fireEvent.change(screen.getByTestId('po-qty-0'), { target: { value: '50' } });
    expect(screen.getByTestId('po-flags-0').textContent).toBe('Conforme au devis');
    // Re-matching line 2 to the quote's line 3 is shown as a manual choice and re-flagged.
    fireEvent.change(screen.getByTestId('po-match-1'), { target: { value: '33' } });
    expect(screen.getByTestId('po-conf-1').textContent).toBe('Choisie à la main');
    expect(screen.getByTestId('po-flags-1').textContent).toContain('Quantité différente (devis : 25)');
    fireEvent.change(screen.getByTestId('po-match-1'), { target: { value: '32' } });
    fireEvent.click(screen.getByTestId('po-confirm'));
    await screen.findByTestId('order-detail');
    expect(api.made('POST', '/orders/po-import/confirm')[0].body).toEqual({
      blob_id: 77,
      quote_id: 7,
      customer_po_number: 'PO-88121',
      customer_po_date: '2026-11-24',
      lines: [
        { quote_line_id: 31, quantity: 50, unit_price: '48', requested_date: '2026-12-18' },
        { quote_line_id: 32, quantity: 10, unit_price: '11.9' },
      ],
    });
    expect(screen.getByTestId('where').textContent).toBe('/orders/5');
  });
});
