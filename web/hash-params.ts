/**
 * The page's parameters in the URL hash: `#task=clusters&k=5&seed=0&backend=auto…`. Only control values go there,
 * never data or file names, so a link or bookmark repeats a run's settings without carrying what it ran on.
 */
import type { Task } from './protocol.js';

/** The ids of the controls whose values the hash keeps. */
export const PARAMS = [
  'k',
  'seed',
  'ninit',
  'maxiter',
  'colours',
  'space',
  'top',
  'backend',
  'threads',
  'axis-x',
  'axis-y',
] as const;

const control = (id: string) => document.getElementById(id) as HTMLInputElement | HTMLSelectElement | null;

/** Sets the controls named in the hash; returns the hash's task when it names one of `tasks`. */
export function readHash(tasks: readonly Task[]): Task | null {
  const h = new URLSearchParams(location.hash.slice(1));
  for (const p of PARAMS) {
    const v = h.get(p);
    const e = control(p);
    if (v !== null && e) e.value = v;
  }
  const t = h.get('task');
  return t !== null && (tasks as readonly string[]).includes(t) ? (t as Task) : null;
}

/** Writes the task and every control's value to the hash, replacing the history entry rather than adding one. */
export function writeHash(task: Task): void {
  const h = new URLSearchParams({ task });
  for (const p of PARAMS) h.set(p, control(p)?.value ?? '');
  history.replaceState(null, '', `#${h}`);
}
