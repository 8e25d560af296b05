// Validate A11yJSON PlaceInfo documents with the schema of the @sozialhelden/a11yjson
// package itself (its SimpleSchema definition: the package ships no JSON Schema file).
//
//   node a11yjson_validate.cjs <repository>   < documents.json   (a JSON array)
//
// Prints a JSON array with, per document, the list of its validation errors (empty: valid).
// Nothing is cleaned or converted first: a document must be valid as it is served.
'use strict';

const path = require('node:path');
const { createRequire } = require('node:module');

const entry = path.join(
  process.argv[2],
  'node_modules', '@sozialhelden', 'a11yjson', 'dist', 'cjs', 'index.js',
);
const fromPackage = createRequire(entry); // its own dependencies, as it resolves them
const a11yjson = fromPackage(entry);
const SimpleSchema = fromPackage('@sozialhelden/simpl-schema').default;

// PlaceInfo builds on a GeoJSON Feature, whose own members the schema leaves to GeoJSON:
// "type" (always "Feature") and the optional "id". Everything else is the package's.
const schema = new SimpleSchema(
  {
    ...a11yjson.getPlaceInfoSchemaDefinition(),
    type: { type: String, allowedValues: ['Feature'] },
    id: { type: String, optional: true },
  },
  { humanizeAutoLabels: false },
);

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const results = JSON.parse(input).map((document) => {
    const context = schema.newContext();
    context.validate(document);
    return context.validationErrors();
  });
  process.stdout.write(JSON.stringify(results));
});
