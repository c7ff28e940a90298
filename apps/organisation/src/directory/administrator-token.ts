// The administrator's bearer token: from MINYI_ADMIN_TOKEN, or generated once and kept in the data folder.
// Only its hash is recorded, as an AdministratorTokenSet event whenever it changes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { streamIds } from '@minyi/contracts';
import { EventStore, handleCommand } from '@minyi/event-store';
import { CONFIG, type MinyiConfig } from '@minyi/platform';
import { administratorTokenDecider } from '../domain/administrator-token.decider.js';
import { hashCredential } from '../domain/credentials.js';

export function adminTokenFile(dataDir: string): string {
  return path.join(dataDir, 'admin-token');
}

/** Reads or creates the token; `generated` is true only for the process that created it. */
export function loadAdministratorToken(config: MinyiConfig): { token: string; source: 'environment' | 'generated'; generated: boolean } {
  if (config.adminToken) return { token: config.adminToken, source: 'environment', generated: false };
  const file = adminTokenFile(config.dataDir);
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    const token = `ma_${randomBytes(24).toString('base64url')}`;
    fs.writeFileSync(file, token + '\n', { flag: 'wx', mode: 0o600 });
    return { token, source: 'generated', generated: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { token: fs.readFileSync(file, 'utf8').trim(), source: 'generated', generated: false };
  }
}

@Injectable()
export class AdministratorToken implements OnModuleInit {
  private readonly logger = new Logger('admin');
  readonly hash: string;
  private readonly source: 'environment' | 'generated';

  constructor(
    @Inject(CONFIG) config: MinyiConfig,
    private readonly store: EventStore,
  ) {
    const t = loadAdministratorToken(config);
    this.hash = hashCredential(t.token);
    this.source = t.source;
    if (t.generated) {
      this.logger.log(`generated the administrator token (kept in ${adminTokenFile(config.dataDir)}; shown only now):\n\n    ${t.token}\n`);
    }
  }

  /** Records the token's hash if it is not the one in force (two processes booting at once: one records it). */
  async onModuleInit(): Promise<void> {
    await handleCommand(
      this.store,
      streamIds.administrator(),
      administratorTokenDecider,
      { type: 'SetAdministratorToken', tokenHash: this.hash, source: this.source },
      { actor: 'system', correlationId: 'boot', now: new Date(), causationId: null },
    );
  }
}
