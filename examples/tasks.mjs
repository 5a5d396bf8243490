// Targets for the examples: module exports, so they may import poolkit.
import { currentProcess } from 'poolkit';

export function doubler(n, out) {
  out.put(`${currentProcess().name}: ${n} doubled to ${n * 2}`);
}

export function recordIdent(d, i) {
  d.set(currentProcess().ident, `worker ${i}`);
}
