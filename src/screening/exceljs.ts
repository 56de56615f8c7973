/**
 * exceljs, loaded with a UTF-8-safe XML reader. Its streaming reader decodes each chunk of a zipped XML entry
 * on its own, so a Vietnamese letter whose bytes straddle two chunks comes out as "c��ng" instead of "công"
 * (every few hundred rows of a real list). The replacement below is exceljs's own reader with one decoder per
 * entry that keeps a letter's first bytes until the rest arrive. It must be installed before exceljs is
 * first loaded in the process: `xlsxReaderIsSafe` says whether it was.
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { StringDecoder } from "node:string_decoder";
import type ExcelJSModule from "exceljs";

const require = createRequire(import.meta.url);

interface SaxEvent {
  eventType: "opentag" | "text" | "closetag";
  value: unknown;
}

function install(): boolean {
  const path = require.resolve("exceljs/lib/utils/parse-sax.js");
  if (require.cache[path]) return false;
  const { SaxesParser } = require(require.resolve("saxes", { paths: [dirname(path)] })) as {
    SaxesParser: new () => {
      on(event: string, listener: (value: unknown) => void): void;
      write(text: string): void;
    };
  };
  const { PassThrough } = require(require.resolve("readable-stream", { paths: [dirname(path)] })) as {
    PassThrough: new () => NodeJS.ReadWriteStream;
  };
  async function* parseSax(input: AsyncIterable<Buffer | string> | NodeJS.ReadableStream) {
    let iterable = input as AsyncIterable<Buffer | string>;
    if ("pipe" in input && !(Symbol.asyncIterator in input))
      iterable = (input as NodeJS.ReadableStream).pipe(new PassThrough()) as unknown as AsyncIterable<Buffer>;
    const parser = new SaxesParser();
    const decoder = new StringDecoder("utf8");
    let error: unknown;
    parser.on("error", (value) => (error = value));
    let events: SaxEvent[] = [];
    parser.on("opentag", (value) => events.push({ eventType: "opentag", value }));
    parser.on("text", (value) => events.push({ eventType: "text", value }));
    parser.on("closetag", (value) => events.push({ eventType: "closetag", value }));
    for await (const chunk of iterable) {
      parser.write(typeof chunk === "string" ? chunk : decoder.write(chunk));
      if (error) throw error;
      yield events;
      events = [];
    }
    const rest = decoder.end();
    if (rest) {
      parser.write(rest);
      if (error) throw error;
      yield events;
    }
  }
  const Module = require("node:module") as new (id: string) => NodeJS.Module;
  const module = new Module(path);
  module.filename = path;
  module.loaded = true;
  module.exports = parseSax;
  require.cache[path] = module;
  return true;
}

/** True when the streaming XLSX reader decodes UTF-8 across chunks (exceljs was not loaded before this module). */
export const xlsxReaderIsSafe = install();

/** exceljs (CommonJS). */
export const ExcelJS = require("exceljs") as typeof ExcelJSModule;
