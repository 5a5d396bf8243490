/**
 * What travels through Redis: job data and results as structured-clone bytes (v8.serialize, in base64 inside
 * BullMQ's JSON), so remote calls carry the same values as the local Pool; errors as their serialized form.
 */
import { serialize, deserialize } from 'node:v8';
import { deserializeError, serializeError, type SerializedError } from '../core/errors.js';

export function encode(value: unknown): string {
  return serialize(value).toString('base64');
}

export function decode(text: string): unknown {
  return deserialize(Buffer.from(text, 'base64'));
}

/** Marks a failedReason that holds a serialized error (any other reason is BullMQ's own message). */
const ERROR_MARK = 'poolkit-error:';

/** The message of the Error a worker throws to BullMQ for `e`: the job's failedReason carries all of `e`. */
export function encodeError(e: unknown): string {
  return ERROR_MARK + JSON.stringify(serializeError(e));
}

/** The error of a job's failedReason: the task's own (name, message, code, stack) when a poolkit worker threw it. */
export function decodeError(reason: string | undefined): Error {
  if (reason?.startsWith(ERROR_MARK)) {
    try {
      return deserializeError(JSON.parse(reason.slice(ERROR_MARK.length)) as SerializedError);
    } catch {
      // Not ours after all: fall through to the plain reason.
    }
  }
  return new Error(reason ?? 'job failed');
}
