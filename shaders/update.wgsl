// Update step, first stage: per block of rows, the weighted sums of (x − c_old[label]) per cluster and the summed
// weight per cluster, written to the block's own region of the partial-sum buffer (k × (dims + 1) floats: dims
// centred sums then the weight). Data is column-major within the chunk (X[j * rows + r]). Sums are centred on the
// old centroid so that they stay small and keep float32 precision. Rows are visited in order; thread t owns columns
// t, t + WG, ... of every cluster (and zeroes them first): no two threads write one cell, no atomics, no barriers, and
// the result is the same on every run.
// LOCAL_SUMS: when k × (dims + 1) floats fit in workgroup memory, the running sums live there (cheap read-modify-
// writes) and are copied to the block's region at the end, by the same threads that own them.

// ChunkParams: declared in scripts/layouts.mjs, prepended at build time by scripts/gen-shaders.mjs.

override WG: u32 = 64u;
override LOCAL_SUMS: bool = false;
// Floats of workgroup memory for the running sums (k × (dims + 1) when LOCAL_SUMS, else 1).
override LOCAL_FLOATS: u32 = 1u;

@group(0) @binding(0) var<uniform> P: ChunkParams;
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> W: array<f32>;
@group(0) @binding(3) var<storage, read> labels: array<u32>;
@group(0) @binding(4) var<storage, read> C: array<f32>;
@group(0) @binding(5) var<storage, read_write> partials: array<f32>;

var<workgroup> local: array<f32, LOCAL_FLOATS>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let b = wid.x + wid.y * nwg.x;
  let r0 = b * P.blockRows;
  if (r0 >= P.rows) {
    return;
  }
  let r1 = min(r0 + P.blockRows, P.rows);
  let d = P.dims;
  let stride = P.k * (d + 1u);
  let base = (P.blockBase + b) * stride;
  if (LOCAL_SUMS) {
    // Workgroup memory starts zeroed.
    for (var r = r0; r < r1; r++) {
      let l = labels[r];
      var w = 1.0;
      if (P.hasWeights != 0u) {
        w = W[r];
      }
      let pb = l * (d + 1u);
      for (var j = li; j <= d; j += WG) {
        if (j < d) {
          local[pb + j] += w * (X[j * P.rows + r] - C[l * d + j]);
        } else {
          local[pb + j] += w;
        }
      }
    }
    for (var l = 0u; l < P.k; l++) {
      for (var j = li; j <= d; j += WG) {
        partials[base + l * (d + 1u) + j] = local[l * (d + 1u) + j];
      }
    }
    return;
  }
  for (var l = 0u; l < P.k; l++) {
    for (var j = li; j <= d; j += WG) {
      partials[base + l * (d + 1u) + j] = 0.0;
    }
  }
  for (var r = r0; r < r1; r++) {
    let l = labels[r];
    var w = 1.0;
    if (P.hasWeights != 0u) {
      w = W[r];
    }
    let pb = base + l * (d + 1u);
    for (var j = li; j <= d; j += WG) {
      if (j < d) {
        partials[pb + j] += w * (X[j * P.rows + r] - C[l * d + j]);
      } else {
        partials[pb + j] += w;
      }
    }
  }
}
