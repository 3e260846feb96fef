// Validates recorded HTTP exchanges against the OpenAPI document: the status must be one the
// operation documents, the headers it documents must be there, and the body must match its
// schema (JSON Schema 2020-12, validated by Ajv). Used by openapi.test.mjs.

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const DOCUMENT_ID = 'https://ferrlabs.invalid/openapi.json';

// The headers api.md puts on every response.
const EVERY_RESPONSE = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function pointer(...segments) {
  return segments
    .map((s) => encodeURIComponent(String(s).replaceAll('~', '~0').replaceAll('/', '~1')))
    .join('/');
}

export class ResponseChecker {
  constructor(document) {
    this.document = document;
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ ...document, $id: DOCUMENT_ID });
    this.validators = new Map();
    this.templates = Object.keys(document.paths).map((template) => ({
      template,
      segments: template.split('/').slice(1),
    }));
    this.exercised = new Set();
  }

  validator(...segments) {
    const ref = `${DOCUMENT_ID}#/${pointer(...segments)}`;
    if (!this.validators.has(ref)) this.validators.set(ref, this.ajv.compile({ $ref: ref }));
    return this.validators.get(ref);
  }

  // The path template a request path matches: literal segments win over parameters.
  match(path) {
    const segments = path.split('/').slice(1);
    let best = null;
    let bestParams = Infinity;
    for (const { template, segments: t } of this.templates) {
      if (t.length !== segments.length) continue;
      let params = 0;
      let ok = true;
      for (let i = 0; i < t.length && ok; i += 1) {
        if (t[i].startsWith('{')) {
          params += 1;
          ok = segments[i] !== '';
        } else {
          ok = t[i] === segments[i];
        }
      }
      if (ok && params < bestParams) {
        best = template;
        bestParams = params;
      }
    }
    return best;
  }

  resolveHeader(header) {
    if (!header.$ref) return header;
    const name = header.$ref.split('/').pop();
    return this.document.components.headers[name];
  }

  errorBody(exchange, code, problems) {
    let body;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      problems.push(`the ${exchange.status} body is not JSON`);
      return;
    }
    const validate = this.validator('components', 'schemas', 'Error');
    if (!validate(body)) problems.push(`the error body: ${this.ajv.errorsText(validate.errors)}`);
    if (code && body.code !== code) problems.push(`code ${body.code}, expected ${code}`);
  }

  // The problems of one exchange ({method, target, status, headers, body}); [] when it conforms.
  check(exchange) {
    const problems = [];
    const { headers } = exchange;
    const requestId = headers['x-request-id'] ?? '';
    if (requestId.length < 1 || requestId.length > 64) problems.push('no valid x-request-id');
    for (const [name, value] of Object.entries(EVERY_RESPONSE)) {
      if (headers[name] !== value) problems.push(`header ${name} is ${headers[name]}, not ${value}`);
    }
    const path = exchange.target.split('?')[0];
    // Routes the server tests add to exercise the server itself (RouteOptions::undocumented).
    if (path.startsWith('/test/')) return { label: 'test route', problems };
    const template = this.match(path);
    const method = exchange.method === 'HEAD' ? 'get' : exchange.method.toLowerCase();
    const label = `${exchange.method} ${template ?? path} → ${exchange.status}`;
    if (exchange.method === 'OPTIONS' && exchange.status === 204) return { label, problems };
    if (template === null) {
      // Unknown paths, and requests refused before routing (malformed target or framing).
      if (![400, 404, 413, 431].includes(exchange.status)) {
        problems.push('an unknown path answered neither 404 nor a framing error');
      } else {
        this.errorBody(exchange, exchange.status === 404 ? 'NOT_FOUND' : null, problems);
      }
      return { label, problems };
    }
    const item = this.document.paths[template];
    const operation = item[method];
    if (!operation) {
      if (exchange.status !== 405) problems.push('a method the path does not have, without 405');
      if (!headers.allow) problems.push('405 without Allow');
      this.errorBody(exchange, 'METHOD_NOT_ALLOWED', problems);
      return { label, problems };
    }
    this.exercised.add(`${method.toUpperCase()} ${template}`);
    const status = String(exchange.status);
    const response = operation.responses[status];
    if (!response) {
      problems.push(`status ${status} is not documented (body ${exchange.body.slice(0, 200)})`);
      return { label, problems };
    }
    for (const [name, reference] of Object.entries(response.headers ?? {})) {
      const header = this.resolveHeader(reference);
      if (!(name.toLowerCase() in headers)) {
        if (header.required) problems.push(`required header ${name} is missing`);
        continue;
      }
      const { schema } = header;
      if (schema.type === 'integer' && !/^[0-9]+$/.test(headers[name.toLowerCase()]))
        problems.push(`header ${name} is not an integer`);
    }
    const contentType = headers['content-type'] ?? '';
    const content = response.content ?? {};
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length === 0) {
      if (exchange.body !== '') problems.push('a body where none is documented');
      return { label, problems };
    }
    const mediaType = mediaTypes.find((m) => contentType.startsWith(m));
    if (!mediaType) {
      problems.push(`content-type ${contentType}, documented ${mediaTypes.join(', ')}`);
      return { label, problems };
    }
    if (exchange.method === 'HEAD') {
      if (exchange.body !== '') problems.push('a body after HEAD');
      return { label, problems };
    }
    if (mediaType !== 'application/json') return { label, problems };
    let body;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      problems.push('the body is not JSON');
      return { label, problems };
    }
    const validate = this.validator(
      'paths', template, method, 'responses', status, 'content', mediaType, 'schema');
    if (!validate(body)) {
      problems.push(
        `the body does not match: ${this.ajv.errorsText(validate.errors)} (body ${exchange.body.slice(0, 300)})`);
    }
    return { label, problems };
  }

  // The documented operations no exchange reached.
  unexercised() {
    const all = [];
    for (const [template, item] of Object.entries(this.document.paths)) {
      for (const method of Object.keys(item)) {
        const key = `${method.toUpperCase()} ${template}`;
        if (!this.exercised.has(key)) all.push(key);
      }
    }
    return all;
  }
}
