// Monaco's web workers, served from our own origin (GraphiQL's esm.sh setup would load them from a CDN).
// Imported before GraphiQL, so the editors find them when they start.
globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    const name = label === 'json' ? 'json.worker.js' : label === 'graphql' ? 'graphql.worker.js' : 'editor.worker.js';
    return new Worker(new URL(name, import.meta.url), { type: 'module' });
  },
};
