// @ng-annotate/cli: where the native binary is. `binaryPath()` is the one
// installed with this package (its platform package @ng-annotate/cli-<os>-<cpu>;
// null when npm installed none); `findBinary` also looks at NG_ANNOTATE_BIN and
// PATH (see ./daemon.js).
import { findBinary, packagedBinary } from './daemon.js';

export { findBinary };

/** Absolute path of the binary inside this package, or null. */
export function binaryPath() {
  return packagedBinary();
}
