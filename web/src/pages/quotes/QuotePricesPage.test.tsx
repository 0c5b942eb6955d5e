import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { ALL, fakeApi, meWith } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import type { QuotePrices } from './prices';
import { QuotePricesPage } from './QuotePricesPage';

const GRADES = {
  items: [
    { id: 2, code: 'MA02', afnor: 'C45 +N' },
    { id: 7, code: 'MA07', afnor: '42CrMo4' },
  ],
  total: 2,
  page: 1,
  per_page: 500,
};
const SUPPLIERS = { items: [{ id: 5, name: 'Anodia Surfaces SAS' }, { id: 6, name: 'Calor’Trempe Loire SAS' }], total: 2, page: 1, per_page: 500 };
const PRICES: QuotePrices = {
  materials: [
    { grade_code: 'MA02', price_per_kg: '2.60', certified_price_per_kg: '2.99', certificate_fee: '25', lead_days: 5 },
    { grade_code: 'MA07', price_per_kg: '6.10', certified_price_per_kg: null, certificate_fee: null, lead_days: 3 },
  ],
  treatments: [
    { treatment: 'trempe_revenu', supplier: 'Calor’Trempe Loire SAS', basis: 'per_kg', price: '3.20', lot_charge: '35', min_charge: '120', lead_days: 8 },
    { treatment: 'anodisation', supplier: 'Anodia Surfaces SAS', basis: 'per_piece', price: '4.20', lot_charge: '35', min_charge: '90', lead_days: 7 },
  ],
};
const flat = (s: string | null | undefined) => (s ?? '').replace(/\s/g, ' ');

beforeEach(() => setTokens({ access_token: 'tok', refresh_token: 'ref' }));
afterEach(() => vi.unstubAllGlobals());

function render() {
  renderApp(
    <RequireAuth>
      <Routes>
        <Route path="/quotes/prices" element={<QuotePricesPage />} />
      </Routes>
    </RequireAuth>,
    '/quotes/prices',
  );
}

const value = (testId: string) => (screen.getByTestId(testId) as HTMLInputElement | HTMLSelectElement).value;

describe('QuotePricesPage', () => {
  it('loads the prices, saves an edited price typed with a comma, then shows a server error on its cell', async () => {
    let puts = 0;
    const api = fakeApi(meWith({ quotes: [...ALL], materials: ['read'], crm: ['read'] }), {
      'GET /quote-prices': () => json(200, PRICES),
      'GET /materials': () => json(200, GRADES),
      'GET /suppliers': () => json(200, SUPPLIERS),
      'PUT /quote-prices': (c) => {
        puts += 1;
        if (puts === 1) return json(200, c.body);
        return json(422, {
          code: 'validation',
          detail: 'Certaines valeurs sont invalides.',
          errors: [{ field: 'treatments[1].price', code: 'invalid_amount', message: '« 99999999999999999999999999999999 » n’est pas un montant valide.' }],
        });
      },
    });
    render();
    await screen.findByTestId('quote-prices-page');
    expect(screen.getByTestId('prices-intro').textContent).toContain('Ces prix alimentent chaque chiffrage');
    expect(screen.getByTestId('page-title').textContent).toBe('Prix d’achat et de sous-traitance');

    // Both tables, French decimals in the inputs, grades shown with their AFNOR name.
    expect(within(screen.getByTestId('prices-materials')).getAllByTestId(/^material-row-/)).toHaveLength(2);
    expect(within(screen.getByTestId('prices-treatments')).getAllByTestId(/^treatment-row-/)).toHaveLength(2);
    await within(screen.getByTestId('mat-0-grade_code')).findByRole('option', { name: 'MA02 — C45 +N' });
    expect(value('mat-0-grade_code')).toBe('MA02');
    expect(value('mat-0-price_per_kg')).toBe('2,60');
    expect(value('mat-0-certified_price_per_kg')).toBe('2,99');
    expect(value('mat-1-certificate_fee')).toBe('');
    expect(value('trt-0-treatment')).toBe('trempe_revenu');
    expect(within(screen.getByTestId('trt-0-treatment')).getByRole('option', { name: 'Trempe et revenu' })).toBeTruthy();
    expect(value('trt-1-basis')).toBe('per_piece');
    expect(flat(screen.getByTestId('treatment-row-1').textContent)).toContain('€/pièce');
    await waitFor(() => expect(screen.getByTestId('supplier-names').querySelectorAll('option')).toHaveLength(2));
    expect(screen.getByTestId('trt-0-supplier').getAttribute('list')).toBe('quote-price-suppliers');
    expect((screen.getByTestId('save-prices') as HTMLButtonElement).disabled).toBe(true);

    // Edit a price with a comma and add a subcontract row.
    fireEvent.change(screen.getByTestId('mat-1-price_per_kg'), { target: { value: '6,35' } });
    expect(screen.getByText('Modifications non enregistrées')).toBeTruthy();
    fireEvent.click(screen.getByTestId('add-treatment-price'));
    fireEvent.change(screen.getByTestId('trt-2-treatment'), { target: { value: 'zingage' } });
    fireEvent.change(screen.getByTestId('trt-2-supplier'), { target: { value: 'Anodia Surfaces SAS' } });
    fireEvent.change(screen.getByTestId('trt-2-price'), { target: { value: '2,6' } });
    fireEvent.change(screen.getByTestId('trt-2-min_charge'), { target: { value: '60' } });
    fireEvent.click(screen.getByTestId('save-prices'));
    await screen.findByText('Prix d’achat et de sous-traitance enregistrés.');
    const sent = api.made('PUT', '/quote-prices')[0].body as QuotePrices;
    expect(sent.materials[1]).toEqual({ grade_code: 'MA07', price_per_kg: '6.35', certified_price_per_kg: null, certificate_fee: null, lead_days: 3 });
    expect(sent.materials[0]).toEqual(PRICES.materials[0]);
    expect(sent.treatments).toHaveLength(3);
    expect(sent.treatments[2]).toEqual({ treatment: 'zingage', supplier: 'Anodia Surfaces SAS', basis: 'per_kg', price: '2.6', lot_charge: null, min_charge: '60', lead_days: 0 });
    await waitFor(() => expect((screen.getByTestId('save-prices') as HTMLButtonElement).disabled).toBe(true));
    expect(value('mat-1-price_per_kg')).toBe('6,35');

    // The server refuses the next save: its message lands under the cell it names.
    fireEvent.change(screen.getByTestId('trt-1-price'), { target: { value: '99999999999999999999999999999999' } });
    fireEvent.click(screen.getByTestId('save-prices'));
    expect((await screen.findByTestId('error-trt-1-price')).textContent).toBe('« 99999999999999999999999999999999 » n’est pas un montant valide.');
    expect(screen.getByTestId('trt-1-price').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('form-error').textContent).toContain('Certaines valeurs sont invalides.');
    expect(screen.queryByTestId('error-trt-0-price')).toBeNull();
    // Editing the cell clears its message.
    fireEvent.change(screen.getByTestId('trt-1-price'), { target: { value: '4,5' } });
    expect(screen.queryByTestId('error-trt-1-price')).toBeNull();
    expect(api.made('PUT', '/quote-prices')).toHaveLength(2);
  });

  it('checks the cells before sending and keeps a message on its row when another row is removed', async () => {
    const api = fakeApi(meWith({ quotes: [...ALL], materials: ['read'] }), {
      'GET /quote-prices': () => json(200, PRICES),
      'GET /materials': () => json(200, GRADES),
    });
    render();
    await screen.findByTestId('quote-prices-page');
    fireEvent.change(screen.getByTestId('mat-1-price_per_kg'), { target: { value: '6,1,0' } });
    fireEvent.change(screen.getByTestId('mat-1-lead_days'), { target: { value: 'deux' } });
    fireEvent.click(screen.getByTestId('save-prices'));
    expect((await screen.findByTestId('error-mat-1-price_per_kg')).textContent).toBe('Montant invalide (ex. 2,60).');
    expect(screen.getByTestId('error-mat-1-lead_days').textContent).toBe('Nombre entier de jours (0 à 999).');
    expect(screen.getByTestId('form-error').textContent).toContain('Vérifiez les cellules signalées en rouge.');
    expect(api.made('PUT', '/quote-prices')).toHaveLength(0);
    // Removing the first row moves the faulty one up: its message follows it.
    fireEvent.click(screen.getByTestId('remove-mat-0'));
    expect(screen.getByTestId('error-mat-0-price_per_kg').textContent).toBe('Montant invalide (ex. 2,60).');
    expect(value('mat-0-grade_code')).toBe('MA07');
    // A new row puts the focus on its grade.
    fireEvent.click(screen.getByTestId('add-material-price'));
    await screen.findByTestId('mat-1-grade_code');
    expect(document.activeElement).toBe(screen.getByTestId('mat-1-grade_code'));
  });

  it('flags a price whose grade is not in the materials list', async () => {
    fakeApi(meWith({ quotes: [...ALL], materials: ['read'] }), {
      'GET /quote-prices': () => json(200, { materials: [{ grade_code: 'XX99', price_per_kg: '1.00', lead_days: 0 }], treatments: [] }),
      'GET /materials': () => json(200, GRADES),
    });
    render();
    await screen.findByTestId('unknown-grade-0');
    expect(value('mat-0-grade_code')).toBe('XX99');
    expect(screen.getByTestId('no-treatment-prices').textContent).toContain('Aucun prix de sous-traitance');
  });

  it('is read-only without the validate right on quotes', async () => {
    const api = fakeApi(meWith({ quotes: ['read', 'create', 'update'], materials: ['read'], crm: ['read'] }), {
      'GET /quote-prices': () => json(200, PRICES),
      'GET /materials': () => json(200, GRADES),
    });
    render();
    await screen.findByTestId('prices-read-only');
    expect(screen.queryByTestId('save-prices')).toBeNull();
    expect(screen.queryByTestId('add-material-price')).toBeNull();
    expect(screen.queryByTestId('mat-0-price_per_kg')).toBeNull();
    expect(screen.queryByTestId('remove-mat-0')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('material-row-0').textContent).toContain('MA02 — C45 +N'));
    expect(flat(screen.getByTestId('material-row-0').textContent)).toContain('2,60 €');
    expect(flat(screen.getByTestId('treatment-row-1').textContent)).toContain('Anodisation');
    expect(flat(screen.getByTestId('treatment-row-1').textContent)).toContain('à la pièce');
    expect(api.made('GET', '/suppliers')).toHaveLength(0);
  });
});
