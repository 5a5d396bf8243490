/** `poolkit info [--json]`: what this machine can run, and which benchmark peers are installed. */
import { runCommand, type CommandSpec } from './args.js';
import type { Io } from './io.js';
import { formatMachine, probeMachine } from './machine.js';

export const infoSpec: CommandSpec = {
  name: 'info',
  summary: 'what this machine can run: cores, shared memory, wasm threads/SIMD, WebGPU adapter, benchmark peers',
  positionals: [],
  options: {
    json: { type: 'boolean', help: 'print one JSON object' },
  },
  details:
    'WebGPU in Node needs the optional webgpu package and a Vulkan driver; without a GPU, SwiftShader:\n  VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json poolkit info',
};

export function infoCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommand(infoSpec, argv, io, async ({ values }) => {
    const m = await probeMachine();
    io.stdout(values.json ? JSON.stringify(m) : formatMachine(m));
    return 0;
  });
}
