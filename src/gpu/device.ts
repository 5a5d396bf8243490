/// <reference types="@webgpu/types" preserve="true" />
/**
 * One GPU device, shared by every WebGPU kernel and reused across calls. Higher limits are requested where the
 * adapter allows them (large storage bindings, large buffers, more workgroup memory). When the device is lost
 * (`device.destroy()`, driver reset), the context is marked lost and the next `acquireGpu()` requests a new device.
 */
import { WebGpuDeviceLostError, WebGpuUnavailableError } from './errors.js';
import { gpuProvider } from './provider.js';
import { throwIfAborted } from '../core/errors.js';

/** The limits kernels plan with (the device's actual limits). */
export interface GpuLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxComputeWorkgroupStorageSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
}

/** A live device and what is known about it. */
export interface GpuContext {
  readonly device: GPUDevice;
  readonly limits: GpuLimits;
  /** True for CPU implementations (SwiftShader, lavapipe/llvmpipe, WARP), where WebGPU rarely beats wasm threads. */
  readonly software: boolean;
  /** Adapter description, for reports (e.g. "google swiftshader"). */
  readonly description: string;
  /** Set when the device is lost. */
  lost: GPUDeviceLostInfo | null;
}

let current: Promise<GpuContext> | null = null;
let lastContext: GpuContext | null = null;

const WANTED_LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize'] as const;

function isSoftware(info: GPUAdapterInfo | undefined, fallback: boolean): boolean {
  if (fallback) return true;
  const text =
    `${info?.vendor ?? ''} ${info?.architecture ?? ''} ${info?.device ?? ''} ${info?.description ?? ''}`.toLowerCase();
  return /swiftshader|llvmpipe|lavapipe|softpipe|warp|microsoft basic render/.test(text);
}

async function createContext(signal?: AbortSignal): Promise<GpuContext> {
  const provider = await gpuProvider();
  let adapter: GPUAdapter | null;
  try {
    adapter = await provider.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    if (e instanceof WebGpuUnavailableError) throw e;
    throw new WebGpuUnavailableError(`requesting an adapter from ${provider.name} failed: ${String(e)}`, { cause: e });
  }
  if (!adapter) throw new WebGpuUnavailableError(`no GPU adapter was found (provider: ${provider.name})`);
  throwIfAborted(signal);
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ requiredLimits, label: 'poolkit' });
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  const fallback = Boolean(
    (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ??
      (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter,
  );
  const l = device.limits;
  const ctx: GpuContext = {
    device,
    limits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
    software: isSoftware(info, fallback),
    description: [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' '),
    lost: null,
  };
  void device.lost.then((lostInfo) => {
    ctx.lost = lostInfo;
    if (lastContext === ctx) current = null;
  });
  lastContext = ctx;
  return ctx;
}

/** The shared device, requested on first use and again after a loss. Throws `WebGpuUnavailableError` without an adapter. */
export async function acquireGpu(signal?: AbortSignal): Promise<GpuContext> {
  throwIfAborted(signal);
  if (current) {
    const ctx = await current;
    if (!ctx.lost) return ctx;
    current = null;
  }
  const pending = createContext(signal);
  current = pending;
  try {
    return await pending;
  } catch (e) {
    if (current === pending) current = null;
    throw e;
  }
}

/** The last acquired context, if any (no acquisition). Used by `webGpuWorthIt` and by tests that simulate a loss. */
export function peekGpu(): GpuContext | null {
  return lastContext;
}

/** Throws `WebGpuDeviceLostError` when the context's device is lost. */
export function checkLost(ctx: GpuContext, cause?: unknown): void {
  if (ctx.lost)
    throw new WebGpuDeviceLostError(
      ctx.lost.reason ?? 'unknown',
      ctx.lost.message ?? '',
      cause === undefined ? undefined : { cause },
    );
}

/**
 * Wraps a GPU promise (mapAsync, onSubmittedWorkDone): a rejection on a lost device becomes `WebGpuDeviceLostError`.
 * A loss can be reported a moment after the failed call, so a rejection waits briefly for `device.lost`.
 */
export async function guard<T>(ctx: GpuContext, p: Promise<T>): Promise<T> {
  try {
    const v = await p;
    checkLost(ctx);
    return v;
  } catch (e) {
    if (!ctx.lost) {
      await Promise.race([ctx.device.lost, new Promise((r) => setTimeout(r, 50))]);
    }
    checkLost(ctx, e);
    throw e;
  }
}

/**
 * Destroys the shared device (if any) and forgets it: buffers of running calls become invalid and those calls fail
 * with `WebGpuDeviceLostError`; the next `acquireGpu()` requests a new device through the current provider.
 */
export async function releaseGpu(): Promise<void> {
  const pending = current;
  current = null;
  lastContext = null;
  if (!pending) return;
  try {
    (await pending).device.destroy();
  } catch {
    // Acquisition had failed: nothing to release.
  }
}
