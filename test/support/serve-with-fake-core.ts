/**
 * `hoichinhsach serve` exactly as the CLI runs it (configuration from the environment, signals, graceful
 * shutdown), but carrying the scripted fake core instead of the real one, for end-to-end tests of the process.
 * FAKE_CORE_STATE names a JSON file where the fake core keeps its conversations across restarts.
 */
import { createServeCommand } from "../../src/cli/commands/serve.ts";
import { processIO } from "../../src/cli/io.ts";
import { createFakeCore } from "./fake-core.ts";

const statePath = process.env.FAKE_CORE_STATE;
const serve = createServeCommand(async () => createFakeCore(statePath ? { statePath } : {}));
process.exitCode = await serve(process.argv.slice(2), processIO());
