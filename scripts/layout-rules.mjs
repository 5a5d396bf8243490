// Offsets, sizes and alignment of the structs of scripts/layouts.mjs, by the rules of where each struct lives:
// 'memory' (wasm linear memory, read by AssemblyScript and TypeScript): every field at a multiple of its own size;
// 'uniform' (a WGSL uniform buffer): WGSL's AlignOf/SizeOf (vec3 aligns like vec4), and the struct rounded up to 16
// bytes with explicit padding members, so that it keeps one layout as a member or array element of a uniform struct.

/** Bytes and alignment of one element of each scalar type in linear memory. */
const MEMORY_TYPES = { i32: 4, u32: 4, f32: 4, f64: 8, i64: 8, u64: 8, u8: 1 };

/** WGSL AlignOf and SizeOf of the types a uniform struct may hold, and the scalar of each component. */
const WGSL_TYPES = {
  i32: { align: 4, size: 4, scalar: 'i32', lanes: 1 },
  u32: { align: 4, size: 4, scalar: 'u32', lanes: 1 },
  f32: { align: 4, size: 4, scalar: 'f32', lanes: 1 },
  ...Object.fromEntries(
    ['i32', 'u32', 'f32'].flatMap((s) => [
      [`vec2<${s}>`, { align: 8, size: 8, scalar: s, lanes: 2 }],
      [`vec3<${s}>`, { align: 16, size: 12, scalar: s, lanes: 3 }],
      [`vec4<${s}>`, { align: 16, size: 16, scalar: s, lanes: 4 }],
    ]),
  ),
};

/** Uniform structs are padded to a multiple of this many bytes. */
export const UNIFORM_ROUND = 16;

const roundUp = (x, to) => Math.ceil(x / to) * to;

/**
 * The laid-out struct: `fields` with `offset`, `size`, `align`, `scalar` (component type), `lanes` (components:
 * vector lanes or array length); `padding` (uniform only: u32 members that fill the struct to `bytes`); `bytes`;
 * `align`. Throws on an unknown type or a `bytes` too small or misaligned.
 */
export function layOut(struct) {
  const where = `layouts: ${struct.name}`;
  if (struct.kind !== 'memory' && struct.kind !== 'uniform')
    throw new Error(`${where}: kind must be 'memory' or 'uniform', got ${struct.kind}`);
  const names = new Set();
  let end = 0;
  let align = 1;
  const fields = struct.fields.map((f) => {
    if (names.has(f.name)) throw new Error(`${where}: field ${f.name} twice`);
    names.add(f.name);
    const t = fieldType(struct, f, where);
    const offset = roundUp(end, t.align);
    end = offset + t.size;
    align = Math.max(align, t.align);
    return { ...f, offset, ...t };
  });
  let bytes = roundUp(end, align);
  const padding = [];
  if (struct.kind === 'uniform') {
    const padded = roundUp(bytes, UNIFORM_ROUND);
    for (let at = end; at < padded; at += 4) padding.push({ name: `pad${padding.length}`, offset: at });
    bytes = padded;
  }
  if (struct.bytes !== undefined) {
    if (struct.bytes < bytes || struct.bytes % align)
      throw new Error(`${where}: bytes ${struct.bytes} must be at least ${bytes} and a multiple of ${align}`);
    if (struct.kind === 'uniform') throw new Error(`${where}: a uniform struct's size follows from its fields`);
    bytes = struct.bytes;
  }
  return { ...struct, fields, padding, bytes, align };
}

function fieldType(struct, f, where) {
  if (struct.kind === 'uniform') {
    const t = WGSL_TYPES[f.type];
    if (!t || f.count !== undefined)
      throw new Error(
        `${where}.${f.name}: a uniform field is one of ${Object.keys(WGSL_TYPES).join(' ')}, got ${f.type}`,
      );
    return { ...t };
  }
  const size = MEMORY_TYPES[f.type];
  if (size === undefined)
    throw new Error(
      `${where}.${f.name}: a memory field is one of ${Object.keys(MEMORY_TYPES).join(' ')}, got ${f.type}`,
    );
  if ((f.type === 'u8') !== (f.count !== undefined))
    throw new Error(`${where}.${f.name}: u8 fields, and only they, are arrays with a count`);
  const lanes = f.count ?? 1;
  return { align: size, size: size * lanes, scalar: f.type, lanes };
}
