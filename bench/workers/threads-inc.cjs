const { expose } = require('threads/worker');
expose((x) => x + 1);
