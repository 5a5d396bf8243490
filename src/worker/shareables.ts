/**
 * The shareable types a worker revives (src/pool/shareable.ts): objects over shared memory that a task receives as
 * working objects. This list is the one place that names them; both worker entries pass it to the runtime.
 */
import type { ShareableCodec } from '../pool/shareable.js';
import { lockType } from '../sync/lock.js';
import { rlockType } from '../sync/rlock.js';
import { semaphoreType, boundedType } from '../sync/semaphore.js';
import { eventType } from '../sync/event.js';
import { conditionType } from '../sync/condition.js';
import { barrierType } from '../sync/barrier.js';
import { rawValueType, valueType } from '../sync/value.js';
import { queueType, simpleQueueType } from '../sync/queue.js';
import { joinableQueueType } from '../sync/joinable-queue.js';
import { connectionType } from '../sync/pipe.js';
import { dictType, listType, namespaceType } from '../sync/manager.js';

export const shareableTypes: readonly ShareableCodec<object, unknown>[] = [
  lockType,
  rlockType,
  semaphoreType,
  boundedType,
  eventType,
  conditionType,
  barrierType,
  rawValueType,
  valueType,
  queueType,
  simpleQueueType,
  joinableQueueType,
  connectionType,
  dictType,
  listType,
  namespaceType,
];
