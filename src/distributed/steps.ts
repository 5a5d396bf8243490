/** The flow steps a worker process runs, by job name: the kernel families' remote steps. */
import type { RemoteStepTable } from '../pool/remote-step.js';
import { mapReducePartition, mapReduceSplit } from '../mapreduce/remote-steps.js';
import { wordCountPartition, wordCountSplit } from '../wordcount/remote-steps.js';

export const remoteSteps: RemoteStepTable = {
  children: { 'mapreduce.split': mapReduceSplit, 'wordcount.split': wordCountSplit },
  parents: { 'mapreduce.partition': mapReducePartition, 'wordcount.partition': wordCountPartition },
};
