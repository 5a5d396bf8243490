/**
 * The shareable types a worker revives (src/pool/shareable.ts): objects over shared memory that a task receives as
 * working objects. This list is the one place that names them; both worker entries pass it to the runtime.
 */
import type { ShareableCodec } from '../pool/shareable.js';
import { lockType } from '../sync/lock.js';

export const shareableTypes: readonly ShareableCodec<any, any>[] = [lockType];
