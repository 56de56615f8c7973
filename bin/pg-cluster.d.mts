// Types of pg-cluster.mjs, for the TypeScript tests that import it.
export function findPostgresBin(): string | null;
export function freePort(): Promise<number>;
export function startCluster(options: {
  bin: string;
  folder: string;
  port: number;
  fast?: boolean;
  maxConnections?: number;
  settings?: string[];
}): string;
export function clusterRunning(options: { bin: string; folder: string }): boolean;
export function clusterUrl(folder: string): string;
export function stopCluster(options: {
  bin: string;
  folder: string;
  mode?: "smart" | "fast" | "immediate";
}): void;
