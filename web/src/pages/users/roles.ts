/** Role codes of docs/api.md, in the order shown on forms and filters. */
export const ROLE_CODES = ['admin', 'direction', 'chef_atelier', 'methode', 'qualite', 'commercial', 'comptabilite', 'operateur'] as const;
