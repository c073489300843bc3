// @ng-annotate/vite-plugin/astro: the Vite plugin as an Astro integration,
// for `integrations: [ngAnnotate()]` in astro.config. A thin wrapper: in
// `astro dev` it hands Astro's Vite the same plugin (which puts the overlay
// into the pages Astro renders); `astro build` and `astro preview` never see
// it. Options are the Vite plugin's.
import ngAnnotateVite from './index.js';

export default function ngAnnotate(options = {}) {
  return {
    name: '@ng-annotate/astro',
    hooks: {
      'astro:config:setup': ({ command, updateConfig }) => {
        if (command !== 'dev') return;
        updateConfig({ vite: { plugins: [ngAnnotateVite(options)] } });
      },
    },
  };
}

export { ngAnnotate };
