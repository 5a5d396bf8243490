/** Bad command-line arguments: the command prints the one-line message and exits 2. */
import { PoolkitError } from '../core/errors.js';

export class UsageError extends PoolkitError {
  override readonly code = 'ERR_USAGE';
  /** The argument as the user wrote it (`--k`, `FILE`), when one is at fault. */
  readonly argument: string | undefined;
  constructor(message: string, argument?: string) {
    super(argument ? `${argument}: ${message}` : message);
    this.argument = argument;
  }
}
