// The trivial task every pool runs: x => x + 1 (piscina, tinypool, poolkit's task(url)).
export default function inc(x) {
  return x + 1;
}
