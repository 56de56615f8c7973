/**
 * The entry of a worker thread. Compiled, a worker runs its JavaScript module directly; run from the sources
 * (tests, benchmarks), the module is TypeScript and a worker does not inherit the loader its parent runs
 * under, so the entry registers tsx's loader first.
 */

/**
 * `callerUrl` is the caller's `import.meta.url`, `name` the worker module beside it without extension
 * ("./check-worker").
 */
export function workerEntry(callerUrl: string, name: string): URL {
  const fromSources = callerUrl.endsWith(".ts");
  const module = new URL(`${name}${fromSources ? ".ts" : ".js"}`, callerUrl);
  if (!fromSources) return module;
  const code = [
    `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))};`,
    "register();",
    `await import(${JSON.stringify(module.href)});`,
  ].join("\n");
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}
