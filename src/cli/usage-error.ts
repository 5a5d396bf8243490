/** The error of a command line that cannot run: a missing or malformed argument. Commands print its message and exit 2. */
import { PoolkitError } from '../core/errors.js';

export class UsageError extends PoolkitError {
  override readonly code = 'ERR_USAGE';
}
