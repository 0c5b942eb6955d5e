// moment's locale files have no type declarations; this one is imported for its side effect.
declare module 'moment/dist/locale/fr';
