import { describe, expect, it } from 'vitest';
import { createBody, emptyValues, patchBody, scoreLevel, valuesOf } from './partnerForm';
import type { Partner } from './types';

const aviaxe: Partner = {
  id: 1, created_at: '', updated_at: '', version: 3, kind: 'client', name: 'Aviaxe Structures SAS', siren: '765687322',
  siret: '76568732200212', vat_number: 'FR31765687322', billing_address: 'Figeac', delivery_address: null, email: null,
  phone: null, website: null, payment_terms: '45j_fdm', payment_terms_label: '', sectors: ['aeronautique'], sector_labels: [],
  supplier_kinds: [], supplier_kind_labels: [], critical: true, contacts: [{ name: 'Julien Marty', function: 'Acheteur' }],
  notes: null, score: null, status: 'actif', status_label: 'Actif', url: '',
};

describe('partner form', () => {
  it('sends nothing when nothing changed', () => {
    expect(patchBody(aviaxe, valuesOf(aviaxe))).toEqual({});
  });

  it('sends only the changed fields, cleared texts as null', () => {
    const v = { ...valuesOf(aviaxe), billing_address: '  ', critical: false, sectors: ['aeronautique', 'defense'] };
    expect(patchBody(aviaxe, v)).toEqual({ billing_address: null, critical: false, sectors: ['aeronautique', 'defense'] });
  });

  it('sends the whole contact list when a contact changes, blanks as null', () => {
    const v = valuesOf(aviaxe);
    v.contacts = [...v.contacts, { name: ' Anne ', function: '', email: 'a@b.fr', phone: '' }];
    expect(patchBody(aviaxe, v).contacts).toEqual([
      { name: 'Julien Marty', function: 'Acheteur', email: null, phone: null },
      { name: 'Anne', function: null, email: 'a@b.fr', phone: null },
    ]);
  });

  it('creates clients without supplier kinds', () => {
    const b = createBody({ ...emptyValues(), name: ' Pyréos ', siret: '846 023 901 00214' }, false);
    expect(b.name).toBe('Pyréos');
    expect(b.siret).toBe('846 023 901 00214');
    expect(b.email).toBeNull();
    expect('supplier_kinds' in b).toBe(false);
    expect(createBody(emptyValues(), true).supplier_kinds).toEqual([]);
  });

  it('colours scores', () => {
    expect([scoreLevel(85), scoreLevel(70), scoreLevel(40)]).toEqual(['good', 'fair', 'poor']);
  });
});
