/** What mapReduce counted: one shape for local runs and runs on an executor. */
export interface MapReduceCounters {
  /** Records mapped. */
  records: number;
  /** Input bytes (byte inputs only; 0 for record iterables). */
  bytes: number;
  /** [key, value] pairs the map function produced. */
  pairs: number;
  /** Distinct keys in the result. */
  keys: number;
  /** Splits (map tasks). */
  splits: number;
  /** Splits run a second time because their worker died (0 on an executor, which re-runs stalled jobs itself). */
  reExecutedSplits: number;
  /** Reduce partitions. */
  partitions: number;
}
