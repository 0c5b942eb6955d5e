// Wire shapes of /orders, /deliveries and the customer PO import (docs/orders.md). Money and
// quantities as the server sends them: money is a decimal string (€ HT), quantities integers.

/** rust_decimal serialized as a string, e.g. "123.45". */
export type Dec = string;

export const ORDER_STATUSES = ['en_attente', 'validee', 'en_production', 'livree_partielle', 'livree', 'annulee'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PRIORITIES = ['normale', 'haute', 'urgente'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface OrderSummary {
  id: number;
  number: string;
  client_id: number;
  client_name: string;
  quote_id: number | null;
  quote_number: string | null;
  customer_po_number: string | null;
  customer_po_date: string | null;
  requested_date: string | null;
  promised_date: string | null;
  priority: Priority;
  priority_label: string;
  status: OrderStatus;
  status_label: string;
  critical: boolean;
  line_count: number;
  /** € HT; null while no line has a price. */
  total: Dec | null;
  late: boolean;
  created_at: string;
}

export interface OrderTransition {
  status: OrderStatus;
  label: string;
}

export interface JobRef {
  id: number;
  number: string;
  status: string;
  status_label: string;
}

export interface OrderLine {
  id: number;
  position: number;
  quote_line_id: number | null;
  reference: string | null;
  revision: string | null;
  designation: string;
  grade_id: number | null;
  grade_label: string | null;
  quantity: number;
  delivered_quantity: number;
  remaining: number;
  unit_price: Dec | null;
  total: Dec | null;
  requested_date: string | null;
  critical: boolean;
  certified_material: boolean;
  job: JobRef | null;
}

export interface DeliveryLine {
  order_line_id: number;
  reference: string | null;
  designation: string;
  quantity: number;
}

export interface Delivery {
  id: number;
  number: string;
  delivered_on: string;
  packages: number | null;
  weight_kg: Dec | number | null;
  notes?: string | null;
  created_by?: string;
  lines: DeliveryLine[];
  pdf_url: string;
}

export interface Order extends OrderSummary {
  control_sheet: boolean;
  notes: string | null;
  status_comment: string | null;
  created_by_name: string;
  validated_at: string | null;
  version: number;
  has_po_file: boolean;
  transitions: OrderTransition[];
  lines: OrderLine[];
  deliveries: Delivery[];
  warnings: string[];
}

export interface OrderLineInput {
  quote_line_id?: number | null;
  reference?: string | null;
  revision?: string | null;
  designation: string;
  grade_id?: number | null;
  quantity: number;
  unit_price?: Dec | null;
  requested_date?: string | null;
  critical?: boolean;
}

/** POST /orders and PATCH /orders/{id}. */
export interface OrderInput {
  client_id: number;
  quote_id?: number | null;
  customer_po_number?: string | null;
  customer_po_date?: string | null;
  requested_date?: string | null;
  promised_date?: string | null;
  priority?: Priority;
  critical?: boolean;
  control_sheet?: boolean;
  notes?: string | null;
  version?: number;
  lines?: OrderLineInput[];
}

export interface DeliveryInput {
  delivered_on?: string;
  packages?: number;
  weight_kg?: Dec;
  notes?: string;
  lines: { order_line_id: number; quantity: number }[];
}

/** A row of /clients as the order's client picker needs it. */
export interface ClientOption {
  id: number;
  name: string;
  siret?: string | null;
  critical?: boolean;
  sectors?: string[];
}

// ---- customer PO import --------------------------------------------------------------------

export interface PoLine {
  /** Line number as written on the PO (else 1, 2, 3…). */
  position: number;
  reference: string | null;
  revision: string | null;
  designation: string | null;
  quantity: number | null;
  unit_price: Dec | null;
  total: Dec | null;
  requested_date: string | null;
  confidence: number | null;
  warnings_fr?: string[];
}

export interface ReadPo {
  po_number: string | null;
  po_date: string | null;
  buyer: string | null;
  quote_reference: string | null;
  lines: PoLine[];
  warnings_fr: string[];
}

export interface PoMatch {
  /** Index of the PO line in `po.lines`. */
  po_line: number;
  quote_line_id: number | null;
  confidence: number | null;
  reasons_fr: string[];
  quantity_differs: boolean;
  price_differs: boolean;
  revision_differs: boolean;
  quote_quantity: number | null;
  quote_unit_price: Dec | null;
  quote_reference: string | null;
  quote_designation: string | null;
  quote_revision?: string | null;
  /** The server's sentences for the flags (the screen recomputes them as values are corrected). */
  flags_fr?: string[];
}

/** A quote line the person may match a PO line to by hand. */
export interface QuoteLineCandidate {
  id: number;
  position: number;
  reference?: string | null;
  drawing_number?: string | null;
  revision?: string | null;
  drawing_revision?: string | null;
  designation?: string | null;
  part_name?: string | null;
  quantity?: number | null;
  selected_quantity?: number | null;
  unit_price?: Dec | null;
}

/** The PO import as the screen uses it (values read on the PO flattened, see normalizePoImport). */
export interface PoImport {
  blob_id: number | string;
  filename: string;
  po: ReadPo;
  quote: { id: number; number: string; client_id: number; client_name: string; status?: string } | null;
  quote_confidence?: number | null;
  quote_reasons_fr?: string[];
  /** Other quotes that fit as well. */
  ambiguous_with?: string[];
  order_id: number | null;
  order_number?: string | null;
  matches: PoMatch[];
  quote_lines: QuoteLineCandidate[];
  warnings_fr?: string[];
}

/** A value read on a document, with its confidence and where it was found. */
export interface Found<T> {
  value: T;
  confidence: number;
  page?: number;
  bbox?: unknown;
}

/** A read value as the server sends it: bare, or wrapped with its confidence. */
export type MaybeFound<T> = T | Found<T> | null | undefined;

export interface PoConfirm {
  blob_id: number | string;
  quote_id: number;
  customer_po_number: string;
  customer_po_date?: string;
  requested_date?: string;
  lines: { quote_line_id: number; quantity: number; unit_price?: Dec; requested_date?: string }[];
}
