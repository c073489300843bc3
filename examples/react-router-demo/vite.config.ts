import { reactRouter } from "@react-router/dev/vite";
import ngAnnotate from "@ng-annotate/vite-plugin";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [reactRouter(), ngAnnotate()],
});
