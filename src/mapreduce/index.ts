/** MapReduce: the public part of src/mapreduce/ (re-exported by src/api.ts). */
export { mapReduce, MapReduceResult } from './mapreduce.js';
export type {
  MapReduceOptions,
  MapReduceCounters,
  MapReduceProgress,
  MapReduceInput,
  MapReduceKey,
} from './mapreduce.js';
