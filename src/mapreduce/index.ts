/** MapReduce and word count: the public part of src/mapreduce/ (re-exported by src/api.ts). */
export { mapReduce, MapReduceResult } from './mapreduce.js';
export type { MapReduceOptions, MapReduceCounters, MapReduceProgress, MapReduceInput, MapReduceKey } from './mapreduce.js';
export { wordCount } from './wordcount.js';
export type { WordCountOptions, WordCountBackend, WordCountProgress } from './wordcount.js';
export type { WordCounts } from './result.js';
export type { ByteInput, FileInput } from './source.js';
