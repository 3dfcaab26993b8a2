import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { utilityHelperChannel, type UtilityProcessLike } from './process-channel';

class FakeUtility extends EventEmitter implements UtilityProcessLike {
  pid: number | undefined = undefined;
  posted: unknown[] = [];
  killed = 0;
  postMessage(m: unknown, transfer?: unknown[]) { this.posted.push(transfer ? { m, transfer } : m); }
  kill() { this.killed++; this.emit('exit', 9); return true; }
}

test('messages before spawn are queued, then delivered in order', () => {
  const child = new FakeUtility();
  const ch = utilityHelperChannel(child);
  ch.send({ a: 1 }); ch.send({ a: 2 });
  assert.deepEqual(child.posted, []);
  child.pid = 1234; child.emit('spawn');
  ch.send({ a: 3 });
  assert.deepEqual(child.posted, [{ a: 1 }, { a: 2 }, { a: 3 }]);
  assert.equal(ch.pid, 1234);
});

test('incoming messages reach every listener', () => {
  const child = new FakeUtility();
  const ch = utilityHelperChannel(child);
  const got: unknown[] = [];
  ch.onMessage(m => got.push(['x', m]));
  ch.onMessage(m => got.push(['y', m]));
  child.emit('message', { r: 1 });
  assert.deepEqual(got, [['x', { r: 1 }], ['y', { r: 1 }]]);
});

test('exit is reported once, from exit or child-process-gone, and stops sends and kills', () => {
  const child = new FakeUtility();
  const ch = utilityHelperChannel(child);
  const exits: Array<number | null> = [];
  ch.onExit(c => exits.push(c));
  child.emit('spawn');
  ch.markGone(null);
  child.emit('exit', 1);
  assert.deepEqual(exits, [null]);
  assert.equal(ch.exited, true);
  ch.send('late');
  ch.kill();
  assert.deepEqual(child.posted, []);
  assert.equal(child.killed, 0);
});

test('kill ends a live child and reports its exit', () => {
  const child = new FakeUtility();
  const ch = utilityHelperChannel(child);
  const exits: Array<number | null> = [];
  ch.onExit(c => exits.push(c));
  child.emit('spawn');
  ch.kill();
  assert.equal(child.killed, 1);
  assert.deepEqual(exits, [9]);
});

test('a message carrying ports (a window direct port) is posted with them, queued like any other before spawn', () => {
  const child = new FakeUtility();
  const ch = utilityHelperChannel(child);
  const port = { fake: 'port' };
  ch.sendWithPorts!({ attachWindow: 'w1#1' }, [port]);
  ch.send({ a: 1 });
  child.emit('spawn');
  assert.deepEqual(child.posted, [{ m: { attachWindow: 'w1#1' }, transfer: [port] }, { a: 1 }]);
  assert.equal((child.posted[0] as { transfer: unknown[] }).transfer[0], port, 'the port itself, not a copy');
});

test('ports the process refuses (or a process already gone) are reported, so the window never gets a dead port', () => {
  const child = new FakeUtility();
  child.postMessage = (_m: unknown, transfer?: unknown[]) => { if (transfer) throw new Error('cannot transfer'); };
  const ch = utilityHelperChannel(child);
  child.emit('spawn');
  assert.equal(ch.sendWithPorts!({ attachWindow: 'w1#1' }, [{}]), false);
  ch.markGone(1);
  assert.equal(ch.sendWithPorts!({ attachWindow: 'w1#2' }, [{}]), false);
});
