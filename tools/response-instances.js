#!/usr/bin/env node
// Draws schema-valid instances of every JSON response schema of an OpenAPI
// document, for tests/response_instances.rs.
//
//   node tools/response-instances.js DOCUMENT.json SEED PER_SCHEMA
//
// DOCUMENT.json is the document as the generator reads it (overlays
// applied), as JSON. json-schema-faker draws the instances from a random
// source seeded with SEED, so a run is deterministic; Ajv (draft 2020-12,
// the dialect of OpenAPI 3.1) keeps only those that are valid against the
// schema, drawing again up to ATTEMPTS times per instance wanted.
//
// OpenAPI 3.0 spellings become 3.1 ones (`nullable: true` -> a `null` type
// or member; boolean `exclusiveMinimum`/`exclusiveMaximum`), and instances
// are validated against that schema. They are drawn from a narrower one
// (and must fit it too):
// - a property whose schema is one string constant is made required, so
//   instances carry their constants (generated types always write them);
// - an object with properties and no `additionalProperties` gets none
//   (generated structs ignore undeclared keys), except `allOf` members;
// - arrays hold at most MAX_ITEMS items, so that nested lists stay small.
//
// With RESPONSE_INSTANCES_FULL=N in the environment (for
// scripts/bench-decode-responses.sh, which keeps the largest instance),
// lists hold N items where their schema allows it, and each instance may be
// drawn twice as often: larger instances, closer to real responses.
// (Drawing every optional property instead gives no valid instance of the
// agent or conversation responses: the faker's deep draws break schemas.)
// RESPONSE_INSTANCES_ONLY=POINTER,POINTER draws only the schemas of those
// response pointers.
//
// Prints one JSON line per distinct response schema:
// {"pointers": [...], "instances": [...], "drawn": N}.
'use strict';

const fs = require('fs');
const { JSONSchemaFaker } = require('json-schema-faker');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const FULL = Number(process.env.RESPONSE_INSTANCES_FULL || 0);
const ATTEMPTS = FULL > 0 ? 8 : 4;
const MAX_ITEMS = FULL > 0 ? FULL : 2;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** A small seeded generator (mulberry32): the same SEED, the same draws. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isObject(node) {
  return node !== null && typeof node === 'object' && !Array.isArray(node);
}

/** `nullable: true` (OpenAPI 3.0) as a 3.1 schema that admits `null`. */
function withoutNullable(node) {
  const { nullable, ...rest } = node;
  if (nullable !== true) return rest;
  if (typeof rest.type === 'string') {
    const type = [rest.type, 'null'];
    const enumValues = Array.isArray(rest.enum) ? { enum: [...rest.enum, null] } : {};
    return { ...rest, type, ...enumValues };
  }
  return { anyOf: [rest, { type: 'null' }] };
}

/** Boolean exclusive bounds (OpenAPI 3.0) as the numbers of 3.1. */
function numericBounds(node) {
  const out = { ...node };
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
    if (typeof out[exclusive] !== 'boolean') continue;
    if (out[exclusive]) out[exclusive] = out[bound];
    else delete out[exclusive];
    if (out[exclusive] !== undefined) delete out[bound];
  }
  return out;
}

/** The one string a schema allows, for `const` and one-value `enum`. */
function isStringConstant(schema) {
  if (!isObject(schema)) return false;
  const nullable = schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null'));
  const single = Array.isArray(schema.enum) && schema.enum.length === 1 && typeof schema.enum[0] === 'string';
  return !nullable && (typeof schema.const === 'string' || single);
}

/** Properties holding a constant become required. */
function constantsRequired(node) {
  if (!isObject(node.properties)) return node;
  const constants = Object.keys(node.properties).filter((name) => isStringConstant(node.properties[name]));
  const required = Array.isArray(node.required) ? node.required : [];
  const missing = constants.filter((name) => !required.includes(name));
  return missing.length ? { ...node, required: [...required, ...missing] } : node;
}

/** Arrays hold at most MAX_ITEMS items (or their `minItems`), so that
 * instances of nested lists stay small. */
function fewItems(node) {
  if (node.type !== 'array' && node.items === undefined) return node;
  const least = typeof node.minItems === 'number' ? node.minItems : 0;
  const most = typeof node.maxItems === 'number' ? node.maxItems : Infinity;
  const upper = Math.max(least, Math.min(most, MAX_ITEMS));
  // `minItems` spelled out: json-schema-faker 0.5.9 draws lengths from
  // its own default minimum (negative) without it, ignoring `maxItems`.
  // Full instances fill their lists.
  return { ...node, minItems: FULL > 0 ? upper : least, maxItems: upper };
}

/** An object with declared properties and nothing said about others
 * gets no undeclared ones: generated structs keep only what they declare. */
function noUndeclared(node) {
  if (!isObject(node.properties) || node.additionalProperties !== undefined) return node;
  return { ...node, additionalProperties: false };
}

/** Keywords whose value maps names to schemas: the map itself is no schema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions', 'schemas']);
/** Keywords whose value is data, not schemas: copied as they are. */
const DATA = new Set(['enum', 'const', 'default', 'example', 'examples']);

/** Applies `rewrite(schema, key)` to every schema of the tree, innermost
 * first; `key` is the keyword the schema stands under (`allOf`, `items`...). */
function eachSchema(node, rewrite, key = null, isMap = false) {
  if (Array.isArray(node)) return node.map((item) => eachSchema(item, rewrite, key));
  if (!isObject(node)) return node;
  const out = {};
  for (const [name, value] of Object.entries(node)) {
    const data = !isMap && DATA.has(name);
    out[name] = data ? value : eachSchema(value, rewrite, name, !isMap && SCHEMA_MAPS.has(name));
  }
  return isMap ? out : rewrite(out, key);
}

/** The 3.0 rewrites: the same schema, spelled as 3.1. */
function as31(node, openapi30) {
  return openapi30 ? eachSchema(node, (schema) => numericBounds(withoutNullable(schema))) : node;
}

/** The schema instances are drawn from: narrower than the original (every
 * instance of it is one of the original), never wider. `allOf` members
 * stay open, since each sees only its own properties. */
function narrowed(node) {
  return eachSchema(node, (schema, key) => {
    const closed = key === 'allOf' || schema.allOf ? schema : noUndeclared(schema);
    return fewItems(constantsRequired(closed));
  });
}

function escapeToken(token) {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isJson(media) {
  const base = media.split(';')[0].trim().toLowerCase();
  return base === 'application/json' || base.endsWith('+json');
}

/** [pointer, schema] for every JSON response body the document declares. */
function responseSchemas(doc) {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      const responses = (item[method] || {}).responses || {};
      for (const [status, response] of Object.entries(responses)) {
        for (const [media, content] of Object.entries(response.content || {})) {
          if (!isJson(media) || !isObject(content.schema)) continue;
          const pointer = ['paths', path, method, 'responses', status, 'content', media, 'schema']
            .map(escapeToken)
            .join('/');
          out.push([`/${pointer}`, content.schema]);
        }
      }
    }
  }
  return out;
}

/** Response schemas grouped by their text: each distinct one is drawn once. */
function distinctSchemas(doc) {
  const groups = new Map();
  for (const [pointer, schema] of responseSchemas(doc)) {
    const key = JSON.stringify(schema);
    if (!groups.has(key)) groups.set(key, { schema, pointers: [] });
    groups.get(key).pointers.push(pointer);
  }
  return [...groups.values()];
}

function configureFaker(seed) {
  const random = seededRandom(seed);
  // A few of the faker's draws (`multipleOf`) call Math.random directly.
  Math.random = random;
  JSONSchemaFaker.option({
    random,
    alwaysFakeOptionals: false,
    optionalsProbability: 0.5,
    useDefaultValue: false,
    useExamplesValue: false,
    failOnInvalidTypes: false,
    failOnInvalidFormat: false,
    refDepthMax: 4,
    maxItems: Math.max(3, MAX_ITEMS),
    maxLength: 64,
  });
}

/** A reference of a response schema, made to point into the `doc` schema. */
function rebased(node) {
  if (Array.isArray(node)) return node.map(rebased);
  if (!isObject(node)) return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `doc${value}` : rebased(value);
  }
  return out;
}

/** Compiles validators against one copy of the components, compiled once. */
function validator(components) {
  const ajv = new Ajv2020({ strict: false, validateSchema: false, logger: false, allErrors: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'doc', components });
  return (schema) => ajv.compile(rebased(schema));
}

/** The component schemas `schema` refers to, directly or through others:
 * the faker walks the root it is given, so it gets only these. */
function referencedComponents(schema, components) {
  const schemas = components.schemas || {};
  const needed = {};
  const pending = [schema];
  while (pending.length) {
    const text = JSON.stringify(pending.pop());
    for (const [, escaped] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"/]+)/g)) {
      const name = escaped.replace(/~1/g, '/').replace(/~0/g, '~');
      if (name in needed || !(name in schemas)) continue;
      needed[name] = schemas[name];
      pending.push(schemas[name]);
    }
  }
  return { schemas: needed };
}

/** Up to `wanted` valid instances of `schema`, and how many were drawn. */
function draw(schema, components, validate, wanted) {
  const root = { ...schema, components: referencedComponents(schema, components) };
  const instances = [];
  let drawn = 0;
  while (instances.length < wanted && drawn < wanted * ATTEMPTS) {
    drawn += 1;
    let instance;
    try {
      instance = JSONSchemaFaker.generate(root);
    } catch (error) {
      continue;
    }
    if (validate(instance)) instances.push(instance);
  }
  return { instances, drawn };
}

function main() {
  const [file, seedText, perSchemaText] = process.argv.slice(2);
  if (!file || !seedText || !perSchemaText) {
    console.error('usage: response-instances.js DOCUMENT.json SEED PER_SCHEMA');
    process.exit(2);
  }
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const openapi30 = String(doc.openapi).startsWith('3.0');
  const components = as31(doc.components || {}, openapi30);
  const drawnComponents = narrowed(components);
  configureFaker(Number(seedText));
  const compileOriginal = validator(components);
  const compileNarrowed = validator(drawnComponents);
  const only = (process.env.RESPONSE_INSTANCES_ONLY || '').split(',').filter(Boolean);
  for (const { schema, pointers } of distinctSchemas(doc)) {
    if (only.length && !pointers.some((pointer) => only.includes(pointer))) continue;
    const original = as31(schema, openapi30);
    const drawnFrom = narrowed(original);
    const [valid, fits] = [compileOriginal(original), compileNarrowed(drawnFrom)];
    // Valid against the document; the faker sometimes strays outside the
    // narrowed schema (an undeclared key), and those are drawn again.
    const validate = (instance) => valid(instance) && fits(instance);
    const { instances, drawn } = draw(drawnFrom, drawnComponents, validate, Number(perSchemaText));
    process.stdout.write(`${JSON.stringify({ pointers, instances, drawn })}\n`);
  }
}

main();
