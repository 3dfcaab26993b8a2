import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy } from './csp';

test('the CSP forbids remote and inline scripts, eval, objects, framing and forms', () => {
  const csp = contentSecurityPolicy();
  const d = new Map(csp.split('; ').map(s => { const [k, ...v] = s.split(' '); return [k, v] as const; }));
  assert.deepEqual(d.get('default-src'), ["'none'"]);
  assert.deepEqual(d.get('script-src'), ["'self'"]);
  assert.deepEqual(d.get('object-src'), ["'none'"]);
  assert.deepEqual(d.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(d.get('base-uri'), ["'none'"]);
  assert.deepEqual(d.get('form-action'), ["'none'"]);
  assert.ok(!csp.includes('unsafe-eval'));
  assert.ok(!/script-src[^;]*unsafe-inline/.test(csp));
  assert.ok(!/https?:|\*/.test(csp), 'no remote sources');
  assert.match(contentSecurityPolicy({ connect: ['ws://127.0.0.1:5173'] }), /connect-src 'self' ws:\/\/127\.0\.0\.1:5173/);
});
