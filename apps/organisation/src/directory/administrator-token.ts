// The administrator's bearer token: from MINYI_ADMIN_TOKEN, or generated once and kept in the data folder.
// Only its hash is recorded, as an AdministratorTokenSet event whenever it changes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AdministratorTokenSet, streamIds, type AdministratorTokenSetV1 } from '@minyi/contracts';
import { EventStore, StreamVersionConflict } from '@minyi/event-store';
import { CONFIG, type MinyiConfig } from '@minyi/platform';
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

  async onModuleInit(): Promise<void> {
    const streamId = streamIds.administrator();
    for (let attempt = 0; attempt < 3; attempt++) {
      const events = await this.store.readStream(streamId);
      const last = events.at(-1)?.data as AdministratorTokenSetV1 | undefined;
      if (last?.tokenHash === this.hash) return;
      try {
        await this.store.append(streamId, events.length, [
          {
            type: AdministratorTokenSet.type,
            version: 1,
            data: { tokenHash: this.hash, source: this.source },
            occurredAt: new Date(),
            unitId: null,
            metadata: { actor: 'system', correlationId: 'boot', causationId: null },
          },
        ]);
        return;
      } catch (err) {
        if (!(err instanceof StreamVersionConflict)) throw err;
      }
    }
  }
}
