// The byte layouts shared across languages and threads, as plain data: scripts/gen-layouts.mjs turns them into
// AssemblyScript constants, TypeScript offsets with readers and writers, and WGSL struct declarations.
//
// A struct: `name` (TypeScript and WGSL), `prefix` (AssemblyScript constants: PREFIX_FIELD, PREFIX_BYTES), `doc`,
// `kind` ('memory': wasm linear memory, natural alignment, little-endian; 'uniform': a WGSL uniform buffer, WGSL
// alignment rules, size rounded up to 16 bytes), optional `bytes` (reserve more than the fields need), the modules
// to emit it into (`as`, `ts`; WGSL for every uniform struct), and `fields` in memory order. A field: `name`, `type`
// (i32 u32 f32 f64 i64 u64; u8 with `count` for a byte array; vec2/vec3/vec4 of i32 u32 f32 in uniforms) and `doc`.
// `constants` are named values that travel with the structs of the same module.

/** @typedef {{ name: string, type: string, count?: number, doc: string }} Field */
/** @typedef {{ name: string, prefix: string, doc: string, kind: 'memory' | 'uniform', bytes?: number, as?: string, ts: string, fields: Field[] }} Struct */
/** @typedef {{ name: string, type: string, value: number, doc: string, as?: string, ts: string }} Constant */

const WORDCOUNT_AS = 'assembly/generated/wordcount-layout.ts';
const WORDCOUNT_TS = 'src/wordcount/generated/layouts.ts';
const KMEANS_AS = 'assembly/generated/kmeans-layout.ts';
const KMEANS_TS = 'src/kmeans/wasm/generated/layouts.ts';
const GPU_TS = 'src/kmeans/webgpu/generated/layouts.ts';

/** @type {Struct[]} */
export const structs = [
  {
    name: 'WordTableState',
    prefix: 'STATE',
    doc: 'One open-addressing word table: where its slots and key arena are, and how far the last kernel call got.',
    kind: 'memory',
    bytes: 64,
    as: WORDCOUNT_AS,
    ts: WORDCOUNT_TS,
    fields: [
      { name: 'slots', type: 'u32', doc: 'address of the slot array' },
      { name: 'mask', type: 'u32', doc: 'slot count - 1 (a power of two minus one)' },
      { name: 'used', type: 'u32', doc: 'occupied slots' },
      { name: 'limit', type: 'u32', doc: 'occupancy at which inserting stops (the load factor, set by the host)' },
      { name: 'atop', type: 'u32', doc: 'next free key-arena byte' },
      { name: 'aend', type: 'u32', doc: 'end of the key arena' },
      { name: 'total', type: 'u64', doc: 'words counted' },
      { name: 'order', type: 'u32', doc: 'merge tables: address of the insertion-order array (u32 slot indices)' },
      { name: 'status', type: 'u32', doc: 'why the last call stopped: 0 done, 1 table full, 2 arena low' },
    ],
  },
  {
    name: 'WordSlot',
    prefix: 'SLOT',
    doc: 'One slot of a word table: a lookup of a key of at most 16 bytes touches one cache line.',
    kind: 'memory',
    as: WORDCOUNT_AS,
    ts: WORDCOUNT_TS,
    fields: [
      { name: 'hash', type: 'u32', doc: "the key's hash" },
      {
        name: 'len',
        type: 'u32',
        doc: "the key's length in bytes, 0 for an empty slot; bit 31 (RAW) marks original bytes the host lower-cases",
      },
      { name: 'count', type: 'u64', doc: 'occurrences' },
      {
        name: 'key',
        type: 'u8',
        count: 16,
        doc: "the key's bytes when it has at most 16, else the u32 address of its bytes in an arena",
      },
    ],
  },
  {
    name: 'WordCountJob',
    prefix: 'JOB',
    doc: 'A word count over a file, shared by every thread that claims its splits.',
    kind: 'memory',
    bytes: 32,
    ts: WORDCOUNT_TS,
    fields: [
      { name: 'next', type: 'i32', doc: 'next split index to claim (atomic)' },
      { name: 'abort', type: 'i32', doc: 'set by the host to stop everyone after their current split (atomic)' },
      { name: 'split', type: 'i32', doc: 'split size in bytes' },
      { name: 'size', type: 'f64', doc: 'file size in bytes' },
    ],
  },
  {
    name: 'WordCountRecord',
    prefix: 'RECORD',
    doc: "One thread's part of a word count over a file.",
    kind: 'memory',
    bytes: 64,
    ts: WORDCOUNT_TS,
    fields: [
      { name: 'state', type: 'u32', doc: "address of the thread's table state" },
      { name: 'buf', type: 'u32', doc: 'input buffer address' },
      { name: 'bufCap', type: 'u32', doc: 'input buffer capacity in bytes' },
      { name: 'pending', type: 'u32', doc: 'address of the bytes left uncounted when the table needed growing' },
      { name: 'pendingLen', type: 'u32', doc: 'how many bytes are pending' },
      { name: 'split', type: 'u32', doc: 'the split for the host to count (it ends beyond the read-ahead)' },
      { name: 'bytes', type: 'f64', doc: 'bytes counted so far' },
    ],
  },
  {
    name: 'KMeansDesc',
    prefix: 'DESC',
    doc: 'What a k-means kernel call works on: addresses the host assigned and the problem sizes.',
    kind: 'memory',
    as: KMEANS_AS,
    ts: KMEANS_TS,
    fields: [
      { name: 'data', type: 'i32', doc: 'n × dp f32 rows, dims zero-padded to dp' },
      { name: 'n', type: 'i32', doc: 'rows' },
      { name: 'dp', type: 'i32', doc: 'padded row width (a multiple of 4)' },
      { name: 'kp', type: 'i32', doc: 'padded centroid count (a multiple of 8)' },
      { name: 'k', type: 'i32', doc: 'centroids' },
      { name: 'ct', type: 'i32', doc: 'kp/8 groups of dp × 8 f32: −2·c, transposed per group' },
      { name: 'cnorm', type: 'i32', doc: 'kp f32: ‖c‖², f32.MAX_VALUE for the padding centroids' },
      { name: 'cent', type: 'i32', doc: 'k × dp f32: the centroids as rows' },
      { name: 'weights', type: 'i32', doc: 'n f32, or 0 for all ones' },
      { name: 'labels', type: 'i32', doc: 'n i32: previous labels in, new labels out' },
      { name: 'mind', type: 'i32', doc: 'n f32: squared distance of each row to its centroid' },
      { name: 'sums', type: 'i32', doc: 'nblocks × k × dp f64 per-block partial sums' },
      { name: 'counts', type: 'i32', doc: 'nblocks × k f64 per-block weights' },
      { name: 'binertia', type: 'i32', doc: 'nblocks f64 per-block inertia' },
      { name: 'blockRows', type: 'i32', doc: 'rows per block (a multiple of 4)' },
      { name: 'nblocks', type: 'i32', doc: 'blocks' },
      { name: 'counter', type: 'i32', doc: 'address of the i32 threads take blocks from (atomic)' },
      { name: 'update', type: 'i32', doc: '1: also compute partial sums and counts' },
      { name: 'bounds', type: 'i32', doc: 'address of a KMeansBounds for Hamerly, Elkan or Yinyang, or 0 for Lloyd' },
    ],
  },
  {
    name: 'KMeansBounds',
    prefix: 'BND',
    doc: 'Per-row distance bounds of the exact accelerated k-means algorithms, and what the host computed about the centroids this step.',
    kind: 'memory',
    as: KMEANS_AS,
    ts: KMEANS_TS,
    fields: [
      { name: 'algorithm', type: 'i32', doc: 'ALG_HAMERLY, ALG_ELKAN or ALG_YINYANG' },
      { name: 'first', type: 'i32', doc: "1 on a run's first step: every distance is computed and the bounds set" },
      {
        name: 'lower',
        type: 'i32',
        doc: 'n × stride f32 lower bounds (Hamerly: 1 per row, Elkan: kp, Yinyang: one per group)',
      },
      { name: 'stride', type: 'i32', doc: 'lower bounds per row' },
      { name: 'drift', type: 'i32', doc: 'kp f32: how far each centroid moved since the last step (0 for padding)' },
      { name: 'half', type: 'i32', doc: 'k f32: half the distance from each centroid to its nearest other one' },
      { name: 'cc', type: 'i32', doc: 'Elkan: k × kp f32 distances between centroids' },
      { name: 'groupOf', type: 'i32', doc: "Yinyang: k i32, each centroid's group" },
      { name: 'groupDrift', type: 'i32', doc: 'Yinyang: stride f32, the largest drift in each group' },
      { name: 'maxDriftAt', type: 'i32', doc: 'Hamerly: the centroid that moved most' },
      { name: 'maxDrift', type: 'f32', doc: 'Hamerly: the largest drift' },
      { name: 'secondDrift', type: 'f32', doc: 'Hamerly: the second largest drift' },
      { name: 'cmax', type: 'f32', doc: 'the largest centroid norm (it scales the rounding margin of a distance)' },
      {
        name: 'scratch',
        type: 'i32',
        doc: 'nblocks × scratchStride bytes: per block, the distances of 16 rows and which centroid groups they need',
      },
      {
        name: 'scratchStride',
        type: 'i32',
        doc: 'bytes of scratch per block: at least 16 × (4·kp + 32 + (kp/8 rounded up to 16) + stride (Yinyang only))',
      },
      { name: 'computed', type: 'i32', doc: 'nblocks i32: distance computations per block' },
      { name: 'norms', type: 'i32', doc: "n f64: each row's ‖x‖², written on a run's first step and read after" },
    ],
  },
  {
    name: 'ChunkParams',
    prefix: 'CHUNK',
    doc: 'Uniforms of the assignment, update and inertia shaders for one chunk of rows.',
    kind: 'uniform',
    ts: GPU_TS,
    fields: [
      { name: 'rows', type: 'u32', doc: 'rows in this chunk' },
      { name: 'dims', type: 'u32', doc: 'columns' },
      { name: 'k', type: 'u32', doc: 'centroids' },
      { name: 'hasWeights', type: 'u32', doc: '1 when the weights buffer holds one weight per row' },
      { name: 'blockRows', type: 'u32', doc: 'update: rows per block' },
      { name: 'blockBase', type: 'u32', doc: "update: index of this chunk's first block in the partial-sum buffer" },
      { name: 'inertiaBase', type: 'u32', doc: "inertia: index of this chunk's first partial" },
    ],
  },
  {
    name: 'ReduceParams',
    prefix: 'REDUCE',
    doc: 'Uniforms of the reduction shader.',
    kind: 'uniform',
    ts: GPU_TS,
    fields: [
      { name: 'cells', type: 'u32', doc: 'k × (dims + 1) cells per block' },
      { name: 'blocks', type: 'u32', doc: 'blocks to add, in index order' },
    ],
  },
];

/** @type {Constant[]} */
export const constants = [
  {
    name: 'ALG_HAMERLY',
    type: 'i32',
    value: 1,
    doc: 'KMeansBounds.algorithm: one lower bound per row',
    as: KMEANS_AS,
    ts: KMEANS_TS,
  },
  {
    name: 'ALG_ELKAN',
    type: 'i32',
    value: 2,
    doc: 'KMeansBounds.algorithm: one lower bound per row and centroid',
    as: KMEANS_AS,
    ts: KMEANS_TS,
  },
  {
    name: 'ALG_YINYANG',
    type: 'i32',
    value: 3,
    doc: 'KMeansBounds.algorithm: one lower bound per row and centroid group',
    as: KMEANS_AS,
    ts: KMEANS_TS,
  },
  {
    name: 'BOUND_BATCH',
    type: 'i32',
    value: 16,
    doc: "Rows a block's bounded k-means step holds before computing their distances (KMeansBounds.scratchStride)",
    as: KMEANS_AS,
    ts: KMEANS_TS,
  },
  {
    name: 'RAW',
    type: 'u32',
    value: 0x80000000,
    doc: "WordSlot.len flag: the key holds the word's original bytes (the host lower-cases it)",
    as: WORDCOUNT_AS,
    ts: WORDCOUNT_TS,
  },
];
