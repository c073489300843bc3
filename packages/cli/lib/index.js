// @ng-annotate/cli: where the native binary is. `binaryPath()` is the one
// shipped in this package (null when it was packed without one); `findBinary`
// also looks at NG_ANNOTATE_BIN and PATH (see ./daemon.js).
import { findBinary, packagedBinary } from './daemon.js';

export { findBinary };

/** Absolute path of the binary inside this package, or null. */
export function binaryPath() {
  return packagedBinary();
}
