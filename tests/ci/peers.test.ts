// Interop and browser tests cannot pass in CI by being skipped: a block whose peer is missing
// fails there, and is skipped with the package's name only outside CI. Checked in a child Vitest.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';

function runFixture(env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  const { CI: _ci, ...rest } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'tests/fixtures/missing-peer/vitest.config.ts'],
      { env: { ...rest, ...env, NO_COLOR: '1' }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr }));
  });
}

describe('a describe block whose peer is missing', () => {
  it('fails in CI, naming the package', async () => {
    const { code, output } = await runFixture({ CI: 'true' });
    expect(code).toBe(1);
    expect(output).toContain('CI must run "needs a missing peer", but the tool is not installed (Debian package none)');
  });

  it('is skipped with the reason outside CI', async () => {
    const { code, output } = await runFixture({});
    expect(code).toBe(0);
    expect(output).toMatch(/1 skipped/);
    expect(output).not.toContain('CI must run');
  });
});
