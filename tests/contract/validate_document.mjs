// Checks api/openapi.json as an OpenAPI 3.1 document against the OAS 3.1 meta-schema (with the
// referenced schemas resolved), and checks every example in it against the schema beside it, so
// that the examples a client copies are real answers. Usage: node validate_document.mjs FILE
import { readFileSync } from "node:fs";

let Validator, Ajv2020, addFormats;
try {
    ({ Validator } = await import("@seriousme/openapi-schema-validator"));
    Ajv2020 = (await import("ajv/dist/2020.js")).default;
    addFormats = (await import("ajv-formats")).default;
} catch (error) {
    console.error(`The npm packages of tests/contract are missing (${error.message}); ` +
                  "run scripts/install-deps --test.");
    process.exit(1);
}

const file = process.argv[2];
if (!file) {
    console.error("usage: node validate_document.mjs path/to/openapi.json");
    process.exit(2);
}
const document = JSON.parse(readFileSync(file, "utf8"));
const failures = [];

const validator = new Validator();
const outcome = await validator.validate(document);
if (!outcome.valid) {
    failures.push(`not a valid OpenAPI document: ${JSON.stringify(outcome.errors, null, 2)}`);
} else if (validator.version !== "3.1") {
    failures.push(`the document is OpenAPI ${validator.version}; it must be 3.1`);
} else {
    try {
        validator.resolveRefs();  // throws on a $ref that points nowhere
    } catch (error) {
        failures.push(`a $ref does not resolve: ${error.message}`);
    }
}

// Examples against their schemas, with the document's components available to $ref.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...document, $id: "doc.json" }, "doc.json");
const schemaFor = (schema) => ajv.compile({ $defs: {}, ...rebase(schema) });
function rebase(node) {
    if (Array.isArray(node)) return node.map(rebase);
    if (node && typeof node === "object") {
        const out = {};
        for (const [key, value] of Object.entries(node))
            out[key] = key === "$ref" && value.startsWith("#/") ? `doc.json${value}` : rebase(value);
        return out;
    }
    return node;
}
function checkExample(where, schema, example) {
    const check = schemaFor(schema);
    if (!check(example))
        failures.push(`${where}: the example does not match its schema: ${ajv.errorsText(check.errors)}`);
}
let examples = 0;
function walk(node, where) {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${where}/${i}`));
    if (!node || typeof node !== "object") return;
    if (node.schema && "example" in node && !where.includes("/parameters/")) {
        checkExample(where, node.schema, node.example);
        ++examples;
    }
    for (const [key, value] of Object.entries(node)) walk(value, `${where}/${key}`);
}
walk(document.paths, "#/paths");
walk(document.components.responses, "#/components/responses");
for (const [name, schema] of Object.entries(document.components.schemas)) {
    for (const [i, example] of (schema.examples ?? []).entries()) {
        checkExample(`#/components/schemas/${name}/examples/${i}`, schema, example);
        ++examples;
    }
}

if (failures.length > 0) {
    console.error(failures.join("\n"));
    process.exit(1);
}
console.log(`${file}: valid OpenAPI 3.1; ${Object.keys(document.paths).length} paths; ${examples} examples match their schemas`);
