// The personal-data context's Nest module: the vault every context that keeps contacts seals and opens them with,
// and the administrator's erasure route. Import it where contacts are kept (complaints, opinions).
import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { CONFIG, POOLS, type MinyiConfig, type Pools } from '@minyi/platform';
import { ErasePersonalDataController } from './erase-personal-data/erase-personal-data.controller.js';
import { PersonalDataVault } from './personal-data.vault.js';

@Module({
  controllers: [ErasePersonalDataController],
  providers: [
    {
      provide: PersonalDataVault,
      useFactory: (pools: Pools, config: MinyiConfig) => new PersonalDataVault(pools.app, { secret: config.personalDataKey, log: new Logger('personal-data') }),
      inject: [POOLS, CONFIG],
    },
  ],
  exports: [PersonalDataVault],
})
export class PersonalDataModule implements OnModuleInit {
  constructor(private readonly vault: PersonalDataVault) {}

  /** A secret that is not the one the database's keys are wrapped under stops the process at boot, saying which. */
  async onModuleInit(): Promise<void> {
    await this.vault.ready();
  }
}
