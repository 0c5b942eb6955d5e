// Wire shapes of /clients, /suppliers, /rates and /settings (docs/api.md, "Clients & fournisseurs").
import type { CodeLabel, RecordBase } from '../../api/types';

export type PartnerKind = 'clients' | 'suppliers';

export interface Contact {
  name: string;
  function?: string | null;
  email?: string | null;
  phone?: string | null;
}

export interface Score {
  quality: number;
  delivery: number;
  price: number;
  overall: number;
  evaluated_on: string;
}

export interface Partner extends RecordBase {
  kind: 'client' | 'supplier';
  name: string;
  siren: string | null;
  siret: string | null;
  vat_number: string | null;
  billing_address: string | null;
  delivery_address: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  payment_terms: string;
  payment_terms_label: string;
  sectors: string[];
  sector_labels: string[];
  supplier_kinds: string[];
  supplier_kind_labels: string[];
  critical: boolean;
  contacts: Contact[];
  notes: string | null;
  score: Score | null;
  status: string;
  status_label: string;
  url: string;
}

export interface Evaluation extends RecordBase {
  supplier_id: number;
  evaluated_on: string;
  quality: number;
  delivery: number;
  price: number;
  overall: number;
  comment: string | null;
  source: string;
  created_by: string;
}

export interface CrmOptions {
  payment_terms: CodeLabel[];
  sectors: CodeLabel[];
  supplier_kinds: CodeLabel[];
}

export interface RateLine {
  code: string;
  label: string;
  rate: string | null;
  id: number | null;
  updated_at: string | null;
  version: number | null;
}

export interface RateGrid {
  activities: RateLine[];
  machine_kinds: RateLine[];
  min_margin_pct: string;
  target_margin_pct: string;
  express_coef: string;
  express_48h_coef: string;
  economy_coef: string;
  configured: boolean;
  version: number;
}

export interface CompanyIdentity {
  name: string;
  siret: string | null;
  vat_number: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  logo: string | null;
  version: number;
}

export interface ActivitiesView {
  activities: string[];
  main_activity: string;
  options: CodeLabel[];
  configured: boolean;
  version: number;
}

export interface SetupStatus {
  completed: boolean;
  completed_at: string | null;
  completed_by: string | null;
  steps: { code: string; label: string; done: boolean }[];
}
