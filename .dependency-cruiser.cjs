// Layers of src/ (docs/ARCHITECTURE.md): a folder imports only itself and the folders of lower layers, and no
// files import each other in a circle, type-only imports included. Run by `npm run check:layers` (part of `npm test`).
const layers = [
  ['core'],
  ['pool', 'gpu', 'bytes', 'io', 'data'],
  ['wasm', 'sync'],
  ['kmeans', 'mapreduce', 'wordcount'],
  ['worker'],
  // The BullMQ executor: imported only by its entry (src/bullmq.ts) and the CLI's worker command.
  ['distributed'],
];
/** The command line sits above the entry modules: it imports the package as a user does. */
const aboveEntries = ['cli'];
const rank = new Map(layers.flatMap((names, i) => names.map((n) => [n, i])));
const folders = [...rank.keys(), ...aboveEntries];
const under = (names) => (names.length ? `^src/(${names.join('|')})/` : '^$');

const forbidden = [
  {
    name: 'no-circular',
    severity: 'error',
    comment: 'Files importing each other in a circle (type-only imports count too).',
    from: {},
    to: { circular: true },
  },
  {
    name: 'entries-on-top',
    severity: 'error',
    comment: 'The entry modules (src/*.ts) are the top layer: nothing inside a folder imports them.',
    from: { path: '^src/[^/]+/', pathNot: under(aboveEntries) },
    to: { path: '^src/[^/]+\\.ts$' },
  },
  {
    name: 'known-folders',
    severity: 'error',
    comment: 'Every folder of src/ has a place in the layer list of .dependency-cruiser.cjs.',
    from: { path: '^src/', pathNot: `^src/[^/]+\\.ts$|${under(folders)}` },
    to: {},
  },
  ...[...rank.keys()].map((name) => ({
    name: `layer-${name}`,
    severity: 'error',
    comment: `src/${name}/ imports only itself and lower layers.`,
    from: { path: `^src/${name}/` },
    to: { path: '^src/', pathNot: `^src/${name}/|${under(folders.filter((n) => rank.get(n) < rank.get(name)))}` },
  })),
  {
    name: 'distributed-by-its-entry',
    severity: 'error',
    comment: 'src/distributed/ (BullMQ) is loaded only through poolkit/bullmq and `poolkit worker`.',
    from: { path: '^src/', pathNot: '^src/(bullmq\\.ts|cli/|distributed/)' },
    to: { path: '^src/distributed/' },
  },
  {
    name: 'entries-import-down',
    severity: 'error',
    comment: 'The entry modules import the layers, never the command line.',
    from: { path: '^src/[^/]+\\.ts$' },
    to: { path: under(aboveEntries) },
  },
];

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
