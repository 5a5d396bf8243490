// Assignment step of Lloyd's algorithm for one chunk of rows: for every row, the index of the nearest centroid and
// the squared distance to it. Centroids are staged through workgroup memory in tiles; the running argmin is fused
// into the distance loop, so the n × k distance matrix is never written. Ties go to the lowest centroid index.
// Also flags whether any label changed, for Lloyd's strict convergence test (an atomicOr on one word: GPUs
// aggregate same-address atomics per subgroup).
// TILED = false reads centroids straight from the storage buffer instead: on CPU implementations of WebGPU
// (SwiftShader, lavapipe) workgroup memory and barriers only add cost (2–6× slower on SwiftShader here), since the
// centroids sit in the CPU's caches anyway.

struct Params {
  rows: u32,         // rows in this chunk
  dims: u32,
  k: u32,
  hasWeights: u32,
  blockRows: u32,    // update.wgsl: rows per block
  blockBase: u32,    // update.wgsl: index of this chunk's first block in the partial-sum buffer
  inertiaBase: u32,  // inertia.wgsl: index of this chunk's first partial
  pad: u32,
}

override WG: u32 = 64u;
// Floats of workgroup memory for one centroid tile; the host guarantees TILE_FLOATS >= dims.
override TILE_FLOATS: u32 = 4096u;
override TILED: bool = true;

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> C: array<f32>;
@group(0) @binding(3) var<storage, read_write> labels: array<u32>;
@group(0) @binding(4) var<storage, read_write> mind: array<f32>;
@group(0) @binding(5) var<storage, read_write> changed: array<atomic<u32>>;

var<workgroup> tile: array<f32, TILE_FLOATS>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  // A 2-D grid when one dimension cannot hold every workgroup: linearise it.
  let row = (wid.x + wid.y * nwg.x) * WG + li;
  let inRange = row < P.rows;
  let d = P.dims;
  let xb = row * d;
  let perTile = TILE_FLOATS / d;
  var best = 3.402823e38;
  var bestj = 0u;
  // Four centroids at a time (a vec4 of running sums): each data value is loaded once per four centroids. Lanes
  // past the last centroid repeat it, and a repeat never wins (strict <, earlier index first).
  if (TILED) {
    for (var c0 = 0u; c0 < P.k; c0 += perTile) {
      let cnt = min(perTile, P.k - c0);
      workgroupBarrier();
      let cb = c0 * d;
      for (var i = li; i < cnt * d; i += WG) {
        tile[i] = C[cb + i];
      }
      workgroupBarrier();
      if (inRange) {
        for (var c = 0u; c < cnt; c += 4u) {
          let last = cnt - 1u;
          let t0 = c * d;
          let t1 = min(c + 1u, last) * d;
          let t2 = min(c + 2u, last) * d;
          let t3 = min(c + 3u, last) * d;
          var s = vec4f(0.0);
          for (var j = 0u; j < d; j++) {
            let t = vec4f(X[xb + j]) - vec4f(tile[t0 + j], tile[t1 + j], tile[t2 + j], tile[t3 + j]);
            s += t * t;
          }
          for (var q = 0u; q < 4u; q++) {
            if (s[q] < best) {
              best = s[q];
              bestj = c0 + min(c + q, last);
            }
          }
        }
      }
    }
  } else if (inRange) {
    let last = P.k - 1u;
    for (var c = 0u; c < P.k; c += 4u) {
      let t0 = c * d;
      let t1 = min(c + 1u, last) * d;
      let t2 = min(c + 2u, last) * d;
      let t3 = min(c + 3u, last) * d;
      var s = vec4f(0.0);
      for (var j = 0u; j < d; j++) {
        let t = vec4f(X[xb + j]) - vec4f(C[t0 + j], C[t1 + j], C[t2 + j], C[t3 + j]);
        s += t * t;
      }
      for (var q = 0u; q < 4u; q++) {
        if (s[q] < best) {
          best = s[q];
          bestj = min(c + q, last);
        }
      }
    }
  }
  if (inRange) {
    if (labels[row] != bestj) {
      atomicOr(&changed[0], 1u);
    }
    labels[row] = bestj;
    mind[row] = best;
  }
}
