/** Built-in kernel steps bundled into every worker (each file registers itself with registerBuiltin). */
import '../../wasm/worker.js';
import '../../mapreduce/worker.js';
import '../../mapreduce/wordcount-worker.js';
