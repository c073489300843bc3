import type { EnvironmentProviders } from '@angular/core';

/**
 * Does nothing: ng-annotate needs no provider. The overlay comes from the
 * dev server (`@ng-annotate/angular:dev-server`, the Vite plugin or
 * `ng-annotate serve --proxy`), and only in development.
 *
 * Kept so that code written for ng-annotate-mcp, whose Angular package has
 * this name too, compiles unchanged; remove the call when convenient. Typed as
 * ng-annotate-mcp's was, so every place it was used still type-checks.
 *
 * @deprecated ng-annotate puts its overlay on the page from the dev server: this provider is a no-op.
 */
export declare function provideNgAnnotate(): EnvironmentProviders;
