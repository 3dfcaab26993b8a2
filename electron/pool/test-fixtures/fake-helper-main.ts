// Helper entry for the pool's unit tests: the real helper runtime over the fake engine.
import { runHelper } from '../helper-runtime';
import { connectParentPort } from '../parent-port';
import { openFakeEngine } from './fake-engine';

runHelper(openFakeEngine, connectParentPort(), 'mapped');
