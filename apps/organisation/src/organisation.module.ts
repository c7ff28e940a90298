// The organisation context: the unit tree, windows, officers, terminals, readers, clients and the credentials that admit them.
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_GUARD } from '@nestjs/core';
import { BearerAuthGuard, CREDENTIAL_RESOLVER, UNIT_DIRECTORY } from '@minyi/platform';
import { CredentialChanges } from './application/credential-changes.js';
import { Registrar } from './application/registrar.js';
import { AdministratorToken } from './directory/administrator-token.js';
import { OrganisationCredentials } from './directory/credential-resolver.js';
import { CredentialStreams } from './directory/credential-streams.js';
import { OrganisationDirectory } from './directory/organisation.directory.js';
import { GetCalendarController } from './get-calendar/get-calendar.controller.js';
import { GetCalendarHandler } from './get-calendar/get-calendar.handler.js';
import { IssueReaderController } from './issue-reader/issue-reader.controller.js';
import { IssueReaderHandler } from './issue-reader/issue-reader.handler.js';
import { IssueTerminalKeyController } from './issue-terminal-key/issue-terminal-key.controller.js';
import { IssueTerminalKeyHandler } from './issue-terminal-key/issue-terminal-key.handler.js';
import { RegisterClientController } from './register-client/register-client.controller.js';
import { RegisterClientHandler } from './register-client/register-client.handler.js';
import { RegisterOfficerController } from './register-officer/register-officer.controller.js';
import { RegisterOfficerHandler } from './register-officer/register-officer.handler.js';
import { RegisterTerminalController } from './register-terminal/register-terminal.controller.js';
import { RegisterTerminalHandler } from './register-terminal/register-terminal.handler.js';
import { RegisterUnitController } from './register-unit/register-unit.controller.js';
import { RegisterUnitHandler } from './register-unit/register-unit.handler.js';
import { RegisterWindowController } from './register-window/register-window.controller.js';
import { RegisterWindowHandler } from './register-window/register-window.handler.js';
import { RevokeClientController, RevokeReaderController, RevokeTerminalController } from './revoke-credential/revoke-credential.controller.js';
import { RevokeCredentialHandler } from './revoke-credential/revoke-credential.handler.js';
import { SetCalendarController } from './set-calendar/set-calendar.controller.js';
import { SetCalendarHandler } from './set-calendar/set-calendar.handler.js';

/** Lookups and credentials, needed by every process that authenticates callers. */
@Module({
  providers: [
    OrganisationDirectory,
    AdministratorToken,
    CredentialStreams,
    OrganisationCredentials,
    { provide: CREDENTIAL_RESOLVER, useExisting: OrganisationCredentials },
    { provide: UNIT_DIRECTORY, useExisting: OrganisationDirectory },
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
  exports: [OrganisationDirectory, OrganisationCredentials, CREDENTIAL_RESOLVER, UNIT_DIRECTORY],
})
export class OrganisationDirectoryModule {}

/** The administrator's registration API, the credentials' new keys and revocations, and the working-day calendar. */
@Module({
  imports: [CqrsModule, OrganisationDirectoryModule],
  controllers: [
    RegisterUnitController,
    RegisterWindowController,
    RegisterOfficerController,
    RegisterTerminalController,
    IssueReaderController,
    RegisterClientController,
    IssueTerminalKeyController,
    RevokeTerminalController,
    RevokeReaderController,
    RevokeClientController,
    SetCalendarController,
    GetCalendarController,
  ],
  providers: [
    Registrar,
    CredentialChanges,
    RegisterUnitHandler,
    RegisterWindowHandler,
    RegisterOfficerHandler,
    RegisterTerminalHandler,
    IssueReaderHandler,
    RegisterClientHandler,
    IssueTerminalKeyHandler,
    RevokeCredentialHandler,
    SetCalendarHandler,
    GetCalendarHandler,
  ],
})
export class OrganisationModule {}
