// Inertia, first stage: each workgroup sums w · (squared distance to the nearest centroid) over a fixed block of
// WG × ROWS_PER_THREAD rows (each thread a fixed strided sequence, then a fixed tree) and writes one partial.
// The host adds the partials in index order in float64: the result does not depend on scheduling.

// ChunkParams: declared in scripts/layouts.mjs, prepended at build time by scripts/gen-shaders.mjs.

override WG: u32 = 256u;          // a power of two
override ROWS_PER_THREAD: u32 = 64u;

@group(0) @binding(0) var<uniform> P: ChunkParams;
@group(0) @binding(1) var<storage, read> mind: array<f32>;
@group(0) @binding(2) var<storage, read> W: array<f32>;
@group(0) @binding(3) var<storage, read_write> partials: array<f32>;

var<workgroup> acc: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let g = wid.x + wid.y * nwg.x;
  let r0 = g * WG * ROWS_PER_THREAD;
  var s = 0.0;
  if (r0 < P.rows) {
    for (var r = 0u; r < ROWS_PER_THREAD; r++) {
      let row = r0 + r * WG + li;
      if (row < P.rows) {
        var v = mind[row];
        if (P.hasWeights != 0u) {
          v *= W[row];
        }
        s += v;
      }
    }
  }
  acc[li] = s;
  for (var h = WG / 2u; h > 0u; h /= 2u) {
    workgroupBarrier();
    if (li < h) {
      acc[li] += acc[li + h];
    }
  }
  if (li == 0u && r0 < P.rows) {
    partials[P.inertiaBase + g] = acc[0];
  }
}
