import type { FieldSpec } from './logic';

export const MACHINE_KINDS = [
  'scie', 'tour', 'fraiseuse_3axes', 'fraiseuse_4axes', 'fraiseuse_5axes', 'tour_fraiseur', 'soudure', 'plieuse', 'rectifieuse', 'electroerosion', 'mmt',
] as const;
export const CONTROLLERS = ['fanuc', 'siemens', 'heidenhain', 'mazak', 'haas', 'num', 'autre'] as const;
export const MACHINE_STATUSES = ['disponible', 'en_maintenance', 'en_panne'] as const;

export const MACHINE_SPECS: FieldSpec[] = [
  { name: 'code', kind: 'text', label: 'machines.code', required: true, hint: 'machines.code_hint', section: 'machines.s_identity' },
  { name: 'name', kind: 'text', label: 'machines.name', required: true },
  { name: 'kind', kind: 'select', label: 'machines.kind', options: MACHINE_KINDS, optionsKey: 'machine_kinds', required: true },
  { name: 'brand', kind: 'text', label: 'machines.brand' },
  { name: 'model', kind: 'text', label: 'machines.model' },
  { name: 'year', kind: 'int', label: 'machines.year' },
  { name: 'serial', kind: 'text', label: 'machines.serial' },
  { name: 'location', kind: 'text', label: 'machines.location' },
  { name: 'cnc_controller', kind: 'select', label: 'machines.cnc_controller', options: CONTROLLERS, optionsKey: 'controllers', section: 'machines.s_capacities' },
  { name: 'travel_x_mm', kind: 'decimal', label: 'machines.travel_x_mm' },
  { name: 'travel_y_mm', kind: 'decimal', label: 'machines.travel_y_mm' },
  { name: 'travel_z_mm', kind: 'decimal', label: 'machines.travel_z_mm' },
  { name: 'rotary_axes', kind: 'text', label: 'machines.rotary_axes', hint: 'machines.rotary_axes_hint' },
  { name: 'max_spindle_rpm', kind: 'int', label: 'machines.max_spindle_rpm' },
  { name: 'spindle_power_kw', kind: 'decimal', label: 'machines.spindle_power_kw' },
  { name: 'spindle_torque_nm', kind: 'decimal', label: 'machines.spindle_torque_nm' },
  { name: 'max_bar_diameter_mm', kind: 'decimal', label: 'machines.max_bar_diameter_mm' },
  { name: 'bar_feeder', kind: 'bool', label: 'machines.bar_feeder' },
  { name: 'chuck_table_size', kind: 'text', label: 'machines.chuck_table_size' },
  { name: 'max_part_mass_kg', kind: 'decimal', label: 'machines.max_part_mass_kg' },
  { name: 'tool_magazine_size', kind: 'int', label: 'machines.tool_magazine_size' },
  { name: 'rapid_traverse_m_min', kind: 'decimal', label: 'machines.rapid_traverse_m_min' },
  { name: 'cam_software', kind: 'text', label: 'machines.cam_software', section: 'machines.s_cam' },
  { name: 'post_processor_ref', kind: 'text', label: 'machines.post_processor_ref' },
  { name: 'hour_counter_h', kind: 'decimal', label: 'machines.hour_counter_h' },
  { name: 'machine_rate', kind: 'money', label: 'machines.machine_rate', section: 'machines.s_rates' },
  { name: 'operator_rate', kind: 'money', label: 'machines.operator_rate' },
  { name: 'notes', kind: 'textarea', label: 'machines.notes', wide: true },
  { name: 'active', kind: 'bool', label: 'machines.active' },
];

export const INSTRUMENT_TYPES = [
  'pied_a_coulisse', 'micrometre', 'comparateur', 'alesometre', 'tampon_lisse', 'tampon_filete', 'bague', 'cale_etalon', 'colonne_mesure', 'rugosimetre', 'mmt', 'autre',
] as const;
export const INSTRUMENT_STATES = ['valide', 'a_etalonner', 'expire', 'non_conforme'] as const;

export const INSTRUMENT_SPECS: FieldSpec[] = [
  { name: 'code', kind: 'text', label: 'instruments.code', required: true },
  { name: 'name', kind: 'text', label: 'instruments.name', required: true },
  { name: 'instrument_type', kind: 'select', label: 'instruments.type', options: INSTRUMENT_TYPES, optionsKey: 'instrument_types', required: true },
  { name: 'range', kind: 'text', label: 'instruments.range' },
  { name: 'resolution', kind: 'text', label: 'instruments.resolution' },
  { name: 'serial', kind: 'text', label: 'instruments.serial' },
  { name: 'location', kind: 'text', label: 'instruments.location' },
  { name: 'calibration_interval_months', kind: 'int', label: 'instruments.interval', required: true },
  { name: 'last_calibration', kind: 'date', label: 'instruments.last_calibration', hint: 'instruments.last_calibration_hint' },
  { name: 'certificate_ref', kind: 'text', label: 'instruments.certificate_ref' },
  { name: 'active', kind: 'bool', label: 'instruments.active' },
];

export const CATEGORIES = ['tns', 'cadre', 'etam', 'employe', 'ouvrier', 'apprenti', 'interimaire'] as const;
export const SKILLS = ['SAW', 'LATHE', 'LATHE_Y', 'MILL3', 'MILL4', 'MILL5', 'WELD_TIG', 'WELD_MIG', 'BEND', 'GRIND', 'EDM', 'CMM', 'CAM', 'DEBURR'] as const;
export const CERT_KINDS = ['caces_r489', 'caces_r484', 'habilitation_electrique', 'iso_9606', 'sst', 'formation', 'autre'] as const;

export const EMPLOYEE_SPECS: FieldSpec[] = [
  { name: 'matricule', kind: 'text', label: 'employees.matricule', required: true },
  { name: 'category', kind: 'select', label: 'employees.category', options: CATEGORIES, optionsKey: 'categories', required: true },
  { name: 'first_name', kind: 'text', label: 'employees.first_name', required: true },
  { name: 'last_name', kind: 'text', label: 'employees.last_name', required: true },
  { name: 'job_title', kind: 'text', label: 'employees.job_title' },
  { name: 'hire_date', kind: 'date', label: 'employees.hire_date' },
  { name: 'hourly_cost', kind: 'money', label: 'employees.hourly_cost', hint: 'employees.hourly_cost_hint' },
  { name: 'user_id', kind: 'int', label: 'employees.user_id', hint: 'employees.user_id_hint' },
  { name: 'active', kind: 'bool', label: 'employees.active' },
];
