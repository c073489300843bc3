// ng-annotate:overlay: the overlay's script tag, a same-origin path the
// daemon sub-plugin forwards. Dev server only.
import { CLIENT_PATH } from '@ng-annotate/cli/lib/daemon.js';

export function overlayPlugin(context) {
  return {
    name: 'ng-annotate:overlay',
    apply: 'serve',
    transformIndexHtml: {
      order: 'post',
      handler() {
        if (context.disabled) return undefined;
        return [{ tag: 'script', attrs: { src: CLIENT_PATH }, injectTo: 'head' }];
      },
    },
  };
}
