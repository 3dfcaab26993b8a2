import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HELPER_EXEC_ARGV, HELPER_MALLOC_ENV, helperEnv } from './helper-env';

test('helpers start with malloc settings that return freed buffers, unless the user chose otherwise', () => {
  const env = helperEnv({ PATH: '/bin' }, { MATRIX_EXPLORER_HELPER_INDEX: '1' });
  assert.equal(env.PATH, '/bin');
  assert.equal(env.MATRIX_EXPLORER_HELPER_INDEX, '1');
  for (const [k, v] of Object.entries(HELPER_MALLOC_ENV)) assert.equal(env[k], v);
  assert.equal(helperEnv({ MALLOC_ARENA_MAX: '8' }).MALLOC_ARENA_MAX, '8', "the user's value wins");
});

test('helpers start with gc() exposed, for collecting dead answers (garbage-watch)', () => {
  assert.ok(HELPER_EXEC_ARGV.includes('--expose-gc'));
});
