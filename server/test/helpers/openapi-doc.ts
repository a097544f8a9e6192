import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** docs/openapi.json, the document the HTTP tests hold the server's answers to. */
export const OPENAPI_FILE = path.resolve(__dirname, '../../../docs/openapi.json');
export const doc = JSON.parse(fs.readFileSync(OPENAPI_FILE, 'utf8'));

export const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// The document itself is the schema store: `#/components/schemas/...` resolve inside it.
ajv.addSchema(doc, 'openapi.json');

/** The ajv key of a place in the document, from its unescaped parts. */
export const pointer = (...parts: string[]) => `openapi.json#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/** `#/a/b~1c` as its unescaped parts. */
export const refParts = (ref: string) => ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
