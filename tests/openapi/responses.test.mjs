// The response checker itself (responses.mjs): it accepts a conforming exchange and refuses each
// kind of drift, so a green openapi_responses means something. Run with `node --test`.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ResponseChecker } from './responses.mjs';

const document = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/v1/things/{id}': {
      get: {
        responses: {
          200: {
            description: 'a thing',
            headers: { 'x-request-id': { $ref: '#/components/headers/RequestId' } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          429: {
            description: 'RATE_LIMIT_EXCEEDED',
            headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
            content: {
              'application/json': {
                schema: {
                  allOf: [
                    { $ref: '#/components/schemas/Error' },
                    { properties: { code: { enum: ['RATE_LIMIT_EXCEEDED'] } } },
                  ],
                },
              },
            },
          },
        },
      },
    },
    '/v1/things/mine': { delete: { responses: { 204: { description: 'gone' } } } },
  },
  components: {
    headers: {
      RequestId: { required: true, schema: { type: 'string' } },
      RetryAfter: { required: true, schema: { type: 'integer' } },
    },
    schemas: {
      Thing: {
        type: 'object',
        properties: { id: { type: 'string', format: 'uuid' }, size: { type: 'integer' } },
        required: ['id', 'size'],
        additionalProperties: false,
      },
      Error: {
        type: 'object',
        properties: { code: { type: 'string' }, error: { type: 'string' }, request_id: { type: 'string' } },
        required: ['code', 'error', 'request_id'],
        additionalProperties: false,
      },
    },
  },
};

const securityHeaders = {
  'x-request-id': 'r1',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
const json = { ...securityHeaders, 'content-type': 'application/json' };
const thing = '{"id":"019df56f-3800-71a5-bd4f-48f41f2032ac","size":3}';

function problems(exchange) {
  return new ResponseChecker(document).check({ method: 'GET', headers: json, ...exchange }).problems;
}

test('a conforming response has no problem', () => {
  assert.deepEqual(problems({ target: '/v1/things/x', status: 200, body: thing }), []);
});

test('a member the schema does not have is drift', () => {
  const body = '{"id":"019df56f-3800-71a5-bd4f-48f41f2032ac","size":3,"colour":"red"}';
  assert.match(problems({ target: '/v1/things/x', status: 200, body }).join(), /additional/);
});

test('a member of the wrong type or format is drift', () => {
  assert.equal(problems({ target: '/v1/things/x', status: 200, body: '{"id":"x","size":3}' }).length, 1);
  assert.equal(
    problems({ target: '/v1/things/x', status: 200, body: thing.replace('3', '"3"') }).length, 1);
});

test('a status the operation does not document is drift', () => {
  assert.match(problems({ target: '/v1/things/x', status: 201, body: thing }).join(), /not documented/);
});

test('an error code the status does not list is drift', () => {
  const headers = { ...json, 'retry-after': '1' };
  const body = '{"code":"NOT_FOUND","error":"e","request_id":"r1"}';
  assert.match(problems({ target: '/v1/things/x', status: 429, headers, body }).join(), /enum|allowed/);
});

test('a required header missing is drift', () => {
  const body = '{"code":"RATE_LIMIT_EXCEEDED","error":"e","request_id":"r1"}';
  assert.match(problems({ target: '/v1/things/x', status: 429, body }).join(), /Retry-After/);
});

test('the security headers are on every response', () => {
  const headers = { ...json };
  delete headers['x-frame-options'];
  assert.match(problems({ target: '/v1/things/x', status: 200, headers, body: thing }).join(), /x-frame-options/);
});

test('literal segments win over parameters, and a body where none is documented is drift', () => {
  const checker = new ResponseChecker(document);
  assert.equal(checker.match('/v1/things/mine'), '/v1/things/mine');
  assert.equal(checker.match('/v1/things/yours'), '/v1/things/{id}');
  const found = checker.check({ method: 'DELETE', target: '/v1/things/mine', status: 204, headers: securityHeaders, body: '{}' });
  assert.match(found.problems.join(), /a body where none/);
});

test('another method answers 405 with Allow and METHOD_NOT_ALLOWED', () => {
  const body = '{"code":"METHOD_NOT_ALLOWED","error":"e","request_id":"r1"}';
  assert.deepEqual(
    problems({ method: 'PUT', target: '/v1/things/x', status: 405, headers: { ...json, allow: 'GET' }, body }), []);
  assert.match(problems({ method: 'PUT', target: '/v1/things/x', status: 405, body }).join(), /Allow/);
  assert.match(problems({ method: 'PUT', target: '/v1/things/x', status: 200, body: thing }).join(), /405/);
});

test('an unknown path answers 404 NOT_FOUND', () => {
  const body = '{"code":"NOT_FOUND","error":"e","request_id":"r1"}';
  assert.deepEqual(problems({ target: '/v1/nothing', status: 404, body }), []);
  assert.equal(problems({ target: '/v1/nothing', status: 200, body: '{}' }).length, 1);
});
