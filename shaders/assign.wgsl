// Assignment step of Lloyd's algorithm for one chunk of rows: for every row, the index of the nearest centroid and
// the squared distance to it. The running argmin is fused into the distance loop, so the n × k distance matrix is
// never written. Ties go to the lowest centroid index. Also flags whether any label changed, for Lloyd's strict
// convergence test (an atomicOr on one word: GPUs aggregate same-address atomics per subgroup).
//
// Data is column-major within the chunk (X[j * rows + row]): neighbouring threads read neighbouring words.
// Centroids are compared four at a time (a vec4 of running sums), so each data value is loaded once per four
// centroids; lanes past the last centroid repeat it, and a repeat never wins (strict <, earlier index first).
// TILED: centroids are staged through workgroup memory, transposed so that the four centroids' values of one
// dimension are one vec4 (one load). TILED = false reads them straight from the storage buffer: on CPU
// implementations of WebGPU (SwiftShader, lavapipe) workgroup memory and barriers only add cost (2–6× slower on
// SwiftShader here), since the centroids sit in the CPU's caches anyway.

// ChunkParams: declared in scripts/layouts.mjs, prepended at build time by scripts/gen-shaders.mjs.

override WG: u32 = 64u;
// vec4s of workgroup memory for one centroid tile (groups of four centroids × dims); the host guarantees
// TILE_VEC4S >= dims when TILED.
override TILE_VEC4S: u32 = 1024u;
override TILED: bool = true;

@group(0) @binding(0) var<uniform> P: ChunkParams;
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> C: array<f32>;
@group(0) @binding(3) var<storage, read_write> labels: array<u32>;
@group(0) @binding(4) var<storage, read_write> mind: array<f32>;
@group(0) @binding(5) var<storage, read_write> changed: array<atomic<u32>>;

var<workgroup> tile: array<vec4f, TILE_VEC4S>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  // A 2-D grid when one dimension cannot hold every workgroup: linearise it.
  let row = (wid.x + wid.y * nwg.x) * WG + li;
  let inRange = row < P.rows;
  let d = P.dims;
  let n = P.rows;
  let last = P.k - 1u;
  var best = 3.402823e38;
  var bestj = 0u;
  if (TILED) {
    let groupsPerTile = TILE_VEC4S / d;
    for (var c0 = 0u; c0 < P.k; c0 += 4u * groupsPerTile) {
      let groups = min(groupsPerTile, (P.k - c0 + 3u) / 4u);
      workgroupBarrier();
      // tile[g * d + j] = dimension j of centroids c0 + 4g .. c0 + 4g + 3 (clamped to the last centroid).
      for (var i = li; i < groups * d; i += WG) {
        let g = i / d;
        let j = i - g * d;
        let c = c0 + 4u * g;
        tile[i] = vec4f(C[c * d + j], C[min(c + 1u, last) * d + j],
                        C[min(c + 2u, last) * d + j], C[min(c + 3u, last) * d + j]);
      }
      workgroupBarrier();
      if (inRange) {
        for (var g = 0u; g < groups; g++) {
          let tb = g * d;
          var s = vec4f(0.0);
          for (var j = 0u; j < d; j++) {
            let t = vec4f(X[j * n + row]) - tile[tb + j];
            s += t * t;
          }
          let c = c0 + 4u * g;
          for (var q = 0u; q < 4u; q++) {
            if (s[q] < best) {
              best = s[q];
              bestj = min(c + q, last);
            }
          }
        }
      }
    }
  } else if (inRange) {
    for (var c = 0u; c < P.k; c += 4u) {
      let t0 = c * d;
      let t1 = min(c + 1u, last) * d;
      let t2 = min(c + 2u, last) * d;
      let t3 = min(c + 3u, last) * d;
      var s = vec4f(0.0);
      for (var j = 0u; j < d; j++) {
        let t = vec4f(X[j * n + row]) - vec4f(C[t0 + j], C[t1 + j], C[t2 + j], C[t3 + j]);
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
