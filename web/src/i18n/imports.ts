// Labels of the import screen (spread into fr.ts / en.ts).
export const importsFr = {
  imports: {
    title: 'Importer',
    intro:
      'Fichier CSV (séparateur ; ou ,, UTF-8) ou XLSX, une ligne d’en-tête avec les colonnes du modèle. Tout est vérifié avant d’écrire : une seule ligne en erreur et rien n’est importé.',
    kind: 'Données à importer',
    file: 'Fichier',
    template_csv: 'Modèle CSV',
    template_xlsx: 'Modèle XLSX',
    check: 'Vérifier',
    import: 'Importer',
    checking: 'Vérification…',
    importing: 'Import…',
    summary: '{{total}} ligne(s) lue(s), {{valid}} valide(s), {{errors}} erreur(s).',
    ignored: 'Colonnes d’export ignorées (calculées ou en lecture seule) : {{columns}}.',
    ready: 'Aucune erreur : vous pouvez importer.',
    done: '{{count}} enregistrement(s) importé(s).',
    errors: 'Erreurs',
    preview: 'Aperçu (20 premières lignes)',
    row: 'Ligne',
    field: 'Champ',
    message: 'Message',
    kinds: {
      clients: 'Clients',
      suppliers: 'Fournisseurs',
      machines: 'Machines',
      tools: 'Outils',
      materials: 'Matières (nuances)',
      'material-stock': 'Stock matière',
      employees: 'Personnel',
    },
  },
};

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

export const importsEn: Widen<typeof importsFr> = {
  imports: {
    title: 'Import',
    intro:
      'CSV file (; or , separated, UTF-8) or XLSX, one header row with the template columns. Everything is checked before writing: one bad row and nothing is imported.',
    kind: 'Data to import',
    file: 'File',
    template_csv: 'CSV template',
    template_xlsx: 'XLSX template',
    check: 'Check',
    import: 'Import',
    checking: 'Checking…',
    importing: 'Importing…',
    summary: '{{total}} row(s) read, {{valid}} valid, {{errors}} error(s).',
    ignored: 'Export-only columns skipped (computed or read-only): {{columns}}.',
    ready: 'No error: you can import.',
    done: '{{count}} record(s) imported.',
    errors: 'Errors',
    preview: 'Preview (first 20 rows)',
    row: 'Row',
    field: 'Field',
    message: 'Message',
    kinds: {
      clients: 'Clients',
      suppliers: 'Suppliers',
      machines: 'Machines',
      tools: 'Tools',
      materials: 'Materials (grades)',
      'material-stock': 'Material stock',
      employees: 'Staff',
    },
  },
};
