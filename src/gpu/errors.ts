/** Typed errors of the WebGPU layer. */
import { PoolkitError } from '../core/errors.js';

/** WebGPU refused an operation for a reason other than a limit or a lost device; `code` says which (default ERR_WEBGPU). */
export class WebGpuError extends PoolkitError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, { ...options, code: options?.code ?? 'ERR_WEBGPU' });
  }
}

/** No WebGPU adapter could be obtained: no `navigator.gpu`, no `webgpu` package in Node, or no usable driver. */
export class WebGpuUnavailableError extends PoolkitError {
  override readonly code = 'ERR_WEBGPU_UNAVAILABLE';
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `WebGPU is not available: ${reason}. In a browser, use one with WebGPU enabled (Chromium: --enable-unsafe-webgpu ` +
        `on machines without a supported GPU). In Node, install the optional 'webgpu' package (npm i webgpu) and a Vulkan ` +
        `driver: a GPU's own, or for software rendering libvulkan1 plus SwiftShader (VK_ICD_FILENAMES=` +
        `/usr/lib/chromium/vk_swiftshader_icd.json with Debian's chromium) or Mesa lavapipe >= 25.`,
      options,
    );
  }
}

/** The GPU device was lost (driver reset, `device.destroy()`, out of memory) during a call; the next call acquires a new device. */
export class WebGpuDeviceLostError extends PoolkitError {
  override readonly code = 'ERR_WEBGPU_DEVICE_LOST';
  constructor(
    readonly reason: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`WebGPU device lost (${reason})${detail ? `: ${detail}` : ''}; the next call acquires a new device`, options);
  }
}

/** The problem does not fit this adapter's limits (memory, workgroup storage); `limit` names the limit. */
export class WebGpuLimitError extends PoolkitError {
  override readonly code = 'ERR_WEBGPU_LIMIT';
  constructor(
    readonly limit: string,
    message: string,
  ) {
    super(`${message} (adapter limit ${limit})`);
  }
}
