/**
 * Every YAML file under knowledge/parameters, knowledge/kinds, knowledge/rules and knowledge/tests is valid against its schema
 * (one test per file), and the policy as a whole compiles (references, parameter ids, steps all resolve).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { z } from "zod";
import { policyFileKind } from "../src/domain/policy.ts";
import {
  guidanceSchema,
  kindSchema,
  parameterNodeSchema,
  parameterSchema,
  programSchema,
  provinceSchema,
  referenceCatalogSchema,
  standardsSchema,
  testFileSchema,
} from "../src/domain/policy-schema.ts";
import { DEFAULT_KNOWLEDGE_DIR, listYamlFiles, loadPolicyKnowledge } from "../src/knowledge/policy-load.ts";

function schemaFor(path: string, data: unknown): z.ZodType {
  if (path.startsWith("tests/")) return testFileSchema;
  switch (policyFileKind(path)) {
    case "parameter":
      return typeof data === "object" && data !== null && "values" in data
        ? parameterSchema
        : parameterNodeSchema;
    case "kind":
      return kindSchema;
    case "references":
      return referenceCatalogSchema;
    case "guidance":
      return guidanceSchema;
    case "standards":
      return standardsSchema;
    case "province":
      return provinceSchema;
    case "program":
      return programSchema;
    case "ignored":
      throw new Error(`${path} is not a knowledge data file`);
  }
}

const files = ["parameters", "kinds", "rules", "tests"].flatMap((folder) =>
  listYamlFiles(DEFAULT_KNOWLEDGE_DIR, folder),
);

describe("knowledge data files", () => {
  it("exist in every folder", () => {
    for (const folder of ["parameters/", "kinds/", "rules/", "tests/"])
      expect(files.some((file) => file.startsWith(folder))).toBe(true);
  });

  it.each(files)("%s matches its schema", (file) => {
    const data: unknown = parse(readFileSync(join(DEFAULT_KNOWLEDGE_DIR, file), "utf8"));
    const result = schemaFor(file, data).safeParse(data);
    expect(
      result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    ).toEqual([]);
  });

  it("compile into one consistent policy (every reference, parameter and step resolves)", () => {
    const policy = loadPolicyKnowledge();
    expect(policy.standards.map((standard) => standard.id)).toEqual([
      "qd_59_2015",
      "nd_07_2021",
      "nd_351_2025",
    ]);
    expect(policy.programs.map((program) => program.id)).toEqual(
      expect.arrayContaining([
        "credit.poor_household",
        "credit.near_poor_household",
        "credit.newly_escaped",
        "credit.student",
        "health_insurance",
        "tuition",
      ]),
    );
    // Every dated figure and every programme cites at least one legal reference.
    for (const parameter of policy.parameters.values()) {
      for (const value of parameter.values)
        expect(value.references.length, `${parameter.id} ${value.from}`).toBeGreaterThan(0);
    }
    for (const program of policy.programs) expect(program.references.length, program.id).toBeGreaterThan(0);
  });
});
