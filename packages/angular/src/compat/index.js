'use strict';
// CommonJS twin of ./index.mjs, for `require('@ng-annotate/angular')` (Jest
// and other CommonJS test runners): provideNgAnnotate() is a no-op there too.
function provideNgAnnotate() {
  return [];
}

module.exports = { provideNgAnnotate };
