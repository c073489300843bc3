// ng-annotate:overlay: the overlay's script tag, a same-origin path the
// daemon sub-plugin forwards. Dev server only. With `overlay: false` the page
// is left alone (and the dev log says so); /__annotate still reaches the
// daemon, so ng-annotate-mcp's overlay, if the app runs it, can use it.
import { CLIENT_PATH } from '@ng-annotate/cli/lib/daemon.js';

export function overlayPlugin(context) {
  return {
    name: 'ng-annotate:overlay',
    apply: 'serve',
    configureServer(server) {
      if (context.options.overlay === false && !context.disabled) {
        server.config.logger.info(
          '[ng-annotate] overlay: false: pages get no ng-annotate overlay; /__annotate still reaches the daemon.',
          { timestamp: true });
      }
    },
    transformIndexHtml: {
      order: 'post',
      handler() {
        if (context.disabled || context.options.overlay === false) return undefined;
        return [{ tag: 'script', attrs: { src: CLIENT_PATH }, injectTo: 'head' }];
      },
    },
  };
}
