// Issues a terminal a new API key (shown once, kept only as a hash); from then on the old key is refused.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streamIds } from '@minyi/contracts';
import { CredentialChanges } from '../application/credential-changes.js';
import { hashCredential, issueCredential } from '../domain/credentials.js';

export class IssueTerminalKey {
  constructor(
    readonly terminalId: string,
    readonly actor: string,
    readonly correlationId: string,
  ) {}
}

@CommandHandler(IssueTerminalKey)
export class IssueTerminalKeyHandler implements ICommandHandler<IssueTerminalKey, string> {
  constructor(private readonly changes: CredentialChanges) {}

  /** The new key. */
  async execute({ terminalId, actor, correlationId }: IssueTerminalKey): Promise<string> {
    const apiKey = issueCredential('terminal', terminalId);
    await this.changes.record({
      streamId: streamIds.terminal(terminalId),
      command: { type: 'IssueTerminalKey', terminalId, keyHash: hashCredential(apiKey) },
      actor,
      correlationId,
      now: new Date(),
    });
    return apiKey;
  }
}
