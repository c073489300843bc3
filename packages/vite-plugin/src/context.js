// What the sub-plugins share: the options, the resolved config, and the
// daemon handle (null until started, and when ng-annotate is unavailable).
export function createContext(options = {}) {
  return {
    options,
    config: null, // Vite's ResolvedConfig
    root: null, // the project root (projectRoot(config.root)): the daemon's and the stamps'
    disabled: false, // no binary / no daemon: the dev server runs without the overlay
    handle: null, // @ng-annotate/cli DaemonHandle
    pagesTold: new Set(), // page URLs whose foreign-overlay notice was logged
  };
}
