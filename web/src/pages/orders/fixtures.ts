// Test fixtures shaped like the API (docs/orders.md): an order waiting for validation, the same
// order validated with its jobs, and a customer PO read and matched to a quote.
import type { Order, OrderLine, PoImport } from './types';

export const LINE_1: OrderLine = {
  id: 11,
  position: 1,
  quote_line_id: 31,
  reference: 'AX-4021',
  revision: 'B',
  designation: 'Axe de vérin',
  grade_id: 2,
  grade_label: '42CrMo4',
  quantity: 50,
  delivered_quantity: 0,
  remaining: 50,
  unit_price: '48.00',
  total: '2400.00',
  requested_date: '2026-12-18',
  critical: false,
  certified_material: false,
  job: null,
};

export const LINE_2: OrderLine = {
  id: 12,
  position: 2,
  quote_line_id: 32,
  reference: 'BR-118',
  revision: 'A',
  designation: 'Bride de fixation',
  grade_id: 5,
  grade_label: '2017A',
  quantity: 10,
  delivered_quantity: 0,
  remaining: 10,
  unit_price: '12.345',
  total: '123.45',
  requested_date: null,
  critical: true,
  certified_material: true,
  job: null,
};

export const ORDER: Order = {
  id: 5,
  number: 'CO-2026-0007',
  client_id: 3,
  client_name: 'Aviaxe Structures SAS',
  quote_id: 7,
  quote_number: 'D-2026-0042',
  customer_po_number: 'PO-88121',
  customer_po_date: '2026-11-24',
  requested_date: '2026-12-18',
  promised_date: '2026-12-16',
  priority: 'haute',
  priority_label: 'Haute',
  status: 'en_attente',
  status_label: 'En attente',
  critical: false,
  line_count: 2,
  total: '2523.45',
  late: false,
  created_at: '2026-11-24T08:00:00Z',
  control_sheet: true,
  notes: null,
  status_comment: null,
  created_by_name: 'Camille Perret',
  validated_at: null,
  version: 3,
  has_po_file: true,
  transitions: [
    { status: 'validee', label: 'Valider' },
    { status: 'annulee', label: 'Annuler' },
  ],
  lines: [LINE_1, LINE_2],
  deliveries: [],
  warnings: ['Date promise antérieure à la date demandée pour la ligne 1 : vérifiez.'],
};

export const VALIDATED: Order = {
  ...ORDER,
  status: 'validee',
  status_label: 'Validée',
  validated_at: '2026-11-25T10:00:00Z',
  version: 4,
  transitions: [
    { status: 'en_production', label: 'Lancer en production' },
    { status: 'annulee', label: 'Annuler' },
  ],
  lines: [
    { ...LINE_1, job: { id: 21, number: 'OF-2026-0011', status: 'brouillon', status_label: 'Brouillon' } },
    { ...LINE_2, delivered_quantity: 4, remaining: 6, job: { id: 22, number: 'OF-2026-0012', status: 'pret', status_label: 'Prêt' } },
  ],
  deliveries: [
    {
      id: 1,
      number: 'BL-2026-0003',
      delivered_on: '2026-12-01',
      packages: 1,
      weight_kg: '3.2',
      lines: [{ order_line_id: 12, reference: 'BR-118', designation: 'Bride de fixation', quantity: 4 }],
      pdf_url: '/api/v1/deliveries/1/pdf',
    },
  ],
  warnings: [],
};

export const PO_IMPORT: PoImport = {
  blob_id: 77,
  filename: 'BC-88121.pdf',
  po: {
    po_number: 'PO-88121',
    po_date: '2026-11-24',
    buyer: 'M. Durand',
    quote_reference: 'D-2026-0042',
    lines: [
      { position: 1, reference: 'AX-4021', revision: 'B', designation: 'Axe de vérin', quantity: 60, unit_price: '48.00', total: '2880.00', requested_date: '2026-12-18', confidence: 0.95 },
      { position: 2, reference: 'BR-118', revision: 'B', designation: 'Bride', quantity: 10, unit_price: '11.90', total: '119.00', requested_date: null, confidence: 0.7 },
      { position: 3, reference: 'XX-0001', revision: null, designation: 'Frais de port', quantity: 1, unit_price: '25.00', total: '25.00', requested_date: null, confidence: 0.4 },
    ],
    warnings_fr: ['Date de livraison illisible sur la ligne 2.'],
  },
  quote: { id: 7, number: 'D-2026-0042', client_id: 3, client_name: 'Aviaxe Structures SAS' },
  order_id: 5,
  matches: [
    { po_line: 0, quote_line_id: 31, confidence: 0.96, reasons_fr: ['Référence identique', 'Indice identique'], quantity_differs: true, price_differs: false, revision_differs: false, quote_quantity: 50, quote_unit_price: '48.00', quote_reference: 'AX-4021', quote_designation: 'Axe de vérin', flags_fr: ['Quantité différente : 60 sur la commande, 50 au devis'] },
    { po_line: 1, quote_line_id: 32, confidence: 0.72, reasons_fr: ['Référence identique', 'Désignation proche'], quantity_differs: false, price_differs: true, revision_differs: true, quote_quantity: 10, quote_unit_price: '12.50', quote_reference: 'BR-118', quote_designation: 'Bride de fixation' },
    { po_line: 2, quote_line_id: null, confidence: 0.1, reasons_fr: ['Aucune ligne du devis ne correspond'], quantity_differs: false, price_differs: false, revision_differs: false, quote_quantity: null, quote_unit_price: null, quote_reference: null, quote_designation: null },
  ],
  quote_lines: [
    { id: 31, position: 1, reference: 'AX-4021', revision: 'B', designation: 'Axe de vérin', quantity: 50, unit_price: '48.00' },
    { id: 32, position: 2, reference: 'BR-118', revision: 'A', designation: 'Bride de fixation', quantity: 10, unit_price: '12.50' },
    { id: 33, position: 3, reference: 'CH-220', revision: 'C', designation: 'Chape', quantity: 25, unit_price: '31.00' },
  ],
};

const found = <T>(value: T, confidence = 0.9) => ({ value, confidence, page: 1, bbox: { x0: 0.1, y0: 0.1, x1: 0.2, y1: 0.12 } });

/** PO_IMPORT as the server sends it: values read on the PO wrapped with confidence and box. */
export const PO_IMPORT_RAW = {
  ...PO_IMPORT,
  po: {
    po_number: found('PO-88121', 0.97),
    po_date: found('2026-11-24'),
    buyer: found('M. Durand', 0.6),
    currency: found('EUR'),
    quote_reference: found('D-2026-0042'),
    lines: PO_IMPORT.po.lines.map((l) => ({
      position: l.position,
      reference: l.reference == null ? null : found(l.reference),
      revision: l.revision == null ? null : found(l.revision),
      designation: l.designation == null ? null : found(l.designation),
      quantity: l.quantity == null ? null : found(l.quantity),
      unit_price: l.unit_price == null ? null : found(l.unit_price),
      line_total: l.total == null ? null : found(l.total),
      requested_date: l.requested_date == null ? null : found(l.requested_date),
      confidence: l.confidence,
      warnings_fr: l.position === 3 ? ['Quantité × prix ≠ total de la ligne.'] : [],
    })),
    total_ht: found('3024.00'),
    text_source: 'vector',
    pages: 1,
    layout: 'table',
    warnings_fr: ['Date de livraison illisible sur la ligne 2.'],
  },
  quote_confidence: 0.98,
  quote_reasons_fr: ['Référence du devis écrite sur le bon de commande'],
  ambiguous_with: [],
  order_number: 'CO-2026-0007',
  warnings_fr: ['Date de livraison illisible sur la ligne 2.', 'Ligne 3 : aucune ligne du devis ne correspond.'],
};
