// The administrator token from the environment (security review #12): a short one stops minyi at boot.
import { loadConfig } from '@minyi/platform';
import { loadAdministratorToken } from './administrator-token.js';

describe('the administrator token from MINYI_ADMIN_TOKEN', () => {
  it('when it is shorter than 16 characters, then the configuration is refused, naming it', () => {
    expect(() => loadConfig({ MINYI_ADMIN_TOKEN: 'a'.repeat(15) })).toThrow(/MINYI_ADMIN_TOKEN must be at least 16 characters/);
    expect(() => loadConfig({ MINYI_ADMIN_TOKEN: `  ${'a'.repeat(15)}  ` })).toThrow(/MINYI_ADMIN_TOKEN/);
  });

  it('when it has 16 characters, then it is the token, taken from the environment and not generated', () => {
    const config = loadConfig({ MINYI_ADMIN_TOKEN: 'b'.repeat(16), MINYI_DATA_DIR: '/nonexistent/minyi-never-written' });
    expect(loadAdministratorToken(config)).toEqual({ token: 'b'.repeat(16), source: 'environment', generated: false });
  });
});
