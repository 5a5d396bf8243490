// A task that keeps its thread busy for `ms` milliseconds (the skewed-workload bench; piscina runs it by file).
export default function spin(ms) {
  const t = performance.now();
  while (performance.now() - t < ms);
  return ms;
}
