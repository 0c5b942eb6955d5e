// Pure form logic of the client/supplier sheet: form values from a record, and the PATCH body
// with only what changed (so two people editing different fields keep the stale-version guard).
import type { Contact, Partner } from './types';

export interface PartnerFormValues {
  name: string;
  siret: string;
  vat_number: string;
  billing_address: string;
  delivery_address: string;
  email: string;
  phone: string;
  website: string;
  payment_terms: string;
  sectors: string[];
  supplier_kinds: string[];
  critical: boolean;
  contacts: Contact[];
  notes: string;
}

export const PARTNER_FIELDS = [
  'name', 'siren', 'siret', 'vat_number', 'billing_address', 'delivery_address', 'email', 'phone', 'website',
  'payment_terms', 'sectors', 'supplier_kinds', 'critical', 'contacts', 'notes', 'version',
] as const;

export function emptyValues(): PartnerFormValues {
  return {
    name: '', siret: '', vat_number: '', billing_address: '', delivery_address: '', email: '', phone: '', website: '',
    payment_terms: '30j', sectors: [], supplier_kinds: [], critical: false, contacts: [], notes: '',
  };
}

export function valuesOf(p: Partner): PartnerFormValues {
  return {
    name: p.name,
    siret: p.siret ?? '',
    vat_number: p.vat_number ?? '',
    billing_address: p.billing_address ?? '',
    delivery_address: p.delivery_address ?? '',
    email: p.email ?? '',
    phone: p.phone ?? '',
    website: p.website ?? '',
    payment_terms: p.payment_terms,
    sectors: p.sectors,
    supplier_kinds: p.supplier_kinds,
    critical: p.critical,
    contacts: p.contacts.map((c) => ({ name: c.name, function: c.function ?? '', email: c.email ?? '', phone: c.phone ?? '' })),
    notes: p.notes ?? '',
  };
}

const TEXT = ['name', 'siret', 'vat_number', 'billing_address', 'delivery_address', 'email', 'phone', 'website', 'notes'] as const;

function cleanContacts(cs: Contact[]): Contact[] {
  const blank = (s: string | null | undefined) => (s ?? '').trim() || null;
  return cs.map((c) => ({ name: c.name.trim(), function: blank(c.function), email: blank(c.email), phone: blank(c.phone) }));
}

/** Body of a POST: empty texts become null. */
export function createBody(v: PartnerFormValues, supplier: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const k of TEXT) body[k] = v[k].trim() || null;
  body.name = v.name.trim();
  body.payment_terms = v.payment_terms;
  body.sectors = v.sectors;
  if (supplier) body.supplier_kinds = v.supplier_kinds;
  body.critical = v.critical;
  body.contacts = cleanContacts(v.contacts);
  return body;
}

/** Only the fields that differ from the record; `{}` when nothing changed. */
export function patchBody(p: Partner, v: PartnerFormValues): Record<string, unknown> {
  const orig = valuesOf(p);
  const out: Record<string, unknown> = {};
  for (const k of TEXT) {
    if (v[k].trim() !== orig[k].trim()) out[k] = k === 'name' ? v[k].trim() : v[k].trim() || null;
  }
  if (v.payment_terms !== orig.payment_terms) out.payment_terms = v.payment_terms;
  if ([...v.sectors].sort().join() !== [...orig.sectors].sort().join()) out.sectors = v.sectors;
  if ([...v.supplier_kinds].sort().join() !== [...orig.supplier_kinds].sort().join()) out.supplier_kinds = v.supplier_kinds;
  if (v.critical !== orig.critical) out.critical = v.critical;
  const cs = cleanContacts(v.contacts);
  if (JSON.stringify(cs) !== JSON.stringify(cleanContacts(orig.contacts))) out.contacts = cs;
  return out;
}

/** A score 0–100 as a traffic-light class. */
export function scoreLevel(score: number): 'good' | 'fair' | 'poor' {
  if (score >= 80) return 'good';
  if (score >= 60) return 'fair';
  return 'poor';
}
