import * as tf from '@tensorflow/tfjs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { infer } from '../../src/index.js';
import { loadCheckpoint, restoreInto, saveCheckpoint } from '../../src/driver/checkpoint/checkpoint.js';
import { compile, trainOptions, INFO, SOURCE } from './fixture.js';
it('debug', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dbg-'));
  const a = await compile(0);
  await infer(a, trainOptions(1));
  await saveCheckpoint(dir, a, INFO);
  const b = await compile(9);
  await restoreInto(b, await loadCheckpoint(dir), { source: SOURCE });
  for (const [tag, m] of [['a', a], ['b', b]] as const) {
    const o = m.optimizer as any;
    const orig = o.applyGradients.bind(o);
    o.applyGradients = (g: any) => {
      console.log('Z', tag, 'before', o.accBeta2.dataSync()[0], o.accBeta2.dataId === undefined, tf.memory().numTensors, Object.keys(g).join(','));
      orig(g);
      console.log('Z', tag, 'after', o.accBeta2.dataSync()[0]);
    };
    let n = 0;
    console.log('Z', tag, 'pre-infer', o.accBeta2.dataSync()[0], tf.memory().numTensors);
    await infer(m, { ...trainOptions(1), shouldStop: () => n++ >= 1 });
  }
});
