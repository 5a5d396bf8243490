/** The one message a child-process worker entry sends outside the task protocol (see node-process.ts). */

/** Sent by the child when it dies of an uncaught error, so the host can say why before the exit. */
export const PROCESS_FATAL = 'poolkit:fatal';
