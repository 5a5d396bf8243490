/**
 * BullMQ and ioredis, loaded on first use: they are optional peer dependencies, so `import 'poolkit/bullmq'` works
 * without them and the first call says what to install.
 */
import { PoolkitError } from '../core/errors.js';

export type BullMQ = typeof import('bullmq');
export type IORedisClass = typeof import('ioredis').Redis;

let loaded: Promise<{ bullmq: BullMQ; Redis: IORedisClass }> | undefined;

export function loadBullmq(): Promise<{ bullmq: BullMQ; Redis: IORedisClass }> {
  loaded ??= (async (): Promise<{ bullmq: BullMQ; Redis: IORedisClass }> => {
    try {
      const [bullmq, ioredis] = await Promise.all([import('bullmq'), import('ioredis')]);
      return { bullmq: bullmq as BullMQ, Redis: ioredis.Redis };
    } catch (e) {
      loaded = undefined;
      throw new PoolkitError(
        "poolkit/bullmq needs the optional peer dependencies 'bullmq' and 'ioredis': npm install bullmq ioredis",
        { code: 'ERR_MISSING_DEPENDENCY', cause: e },
      );
    }
  })();
  return loaded!;
}
