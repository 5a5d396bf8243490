// Every public error is a PoolkitError with a `code`; each subclass has its own literal code, so code narrows.
import { expectTypeOf } from 'expect-type';
import {
  AbortError,
  BufferLimitError,
  InitializerError,
  InvalidArgumentError,
  NotSelfContainedError,
  PoolClosedError,
  PoolkitError,
  QueueFullError,
  ResultTimeoutError,
  SharedMemoryUnavailableError,
  TimeoutError,
  WasmMemoryError,
  WebGpuDeviceLostError,
  WebGpuLimitError,
  WebGpuUnavailableError,
  WorkerCrashedError,
} from 'poolkit';

expectTypeOf<PoolkitError>().toExtend<Error>();
expectTypeOf<PoolkitError['code']>().toEqualTypeOf<string>();
expectTypeOf(new PoolkitError('failed', { code: 'ERR_X', cause: new Error('why') }).code).toEqualTypeOf<string>();
// @ts-expect-error: the code is read-only
new PoolkitError('failed').code = 'ERR_OTHER';
// @ts-expect-error: the code is a string
new PoolkitError('failed', { code: 1 });

for (const E of [
  AbortError,
  BufferLimitError,
  InitializerError,
  InvalidArgumentError,
  NotSelfContainedError,
  PoolClosedError,
  QueueFullError,
  ResultTimeoutError,
  SharedMemoryUnavailableError,
  TimeoutError,
  WasmMemoryError,
  WebGpuDeviceLostError,
  WebGpuLimitError,
  WebGpuUnavailableError,
  WorkerCrashedError,
]) {
  expectTypeOf(E.prototype).toExtend<PoolkitError>();
}

expectTypeOf<InvalidArgumentError['code']>().toEqualTypeOf<'ERR_INVALID_ARGUMENT'>();
expectTypeOf<InvalidArgumentError['argument']>().toEqualTypeOf<string>();
expectTypeOf<AbortError['code']>().toEqualTypeOf<'ABORT_ERR'>();
expectTypeOf<TimeoutError['code']>().toEqualTypeOf<'ERR_TASK_TIMEOUT'>();
expectTypeOf<TimeoutError['timeoutMs']>().toEqualTypeOf<number>();
expectTypeOf<WorkerCrashedError['exitCode']>().toEqualTypeOf<number>();
expectTypeOf<WebGpuUnavailableError['code']>().toEqualTypeOf<'ERR_WEBGPU_UNAVAILABLE'>();
expectTypeOf<WebGpuUnavailableError['reason']>().toEqualTypeOf<string>();

// A caught error narrows by class, and the subclass's literal code comes with it.
declare const e: unknown;
if (e instanceof InvalidArgumentError) {
  expectTypeOf(e).toEqualTypeOf<InvalidArgumentError>();
  const code: 'ERR_INVALID_ARGUMENT' = e.code;
  // @ts-expect-error: the literal code of another class
  const other: 'ABORT_ERR' = e.code;
}
if (e instanceof PoolkitError) {
  expectTypeOf(e.code).toEqualTypeOf<string>();
  expectTypeOf(e.message).toEqualTypeOf<string>();
}
// @ts-expect-error: InvalidArgumentError names the argument first
new InvalidArgumentError('options.threads expected a positive integer');
