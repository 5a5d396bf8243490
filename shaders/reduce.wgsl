// Update step, second stage: adds the per-block partial sums cell by cell, blocks in index order (a fixed order:
// deterministic), into k × (dims + 1) totals that the host reads back.

// ReduceParams: declared in scripts/layouts.mjs, prepended at build time by scripts/gen-shaders.mjs.

override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> R: ReduceParams;
@group(0) @binding(1) var<storage, read> partials: array<f32>;
@group(0) @binding(2) var<storage, read_write> totals: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let cell = (wid.x + wid.y * nwg.x) * WG + li;
  if (cell >= R.cells) {
    return;
  }
  var s = 0.0;
  for (var b = 0u; b < R.blocks; b++) {
    s += partials[b * R.cells + cell];
  }
  totals[cell] = s;
}
