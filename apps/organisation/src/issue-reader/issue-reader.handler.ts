// Issues a reader token: an analyst reads everything, a leader reads one unit's subtree.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ReaderIssued, Refused, streamIds, type ReaderIssuedV1 } from '@minyi/contracts';
import { Registrar, type Registered } from '../application/registrar.js';
import { hashCredential, issueCredential } from '../domain/credentials.js';
import { OrganisationCredentials } from '../directory/credential-resolver.js';
import { OrganisationDirectory } from '../directory/organisation.directory.js';
import type { IssueReaderBody } from './issue-reader.schema.js';

export class IssueReader {
  constructor(
    readonly body: IssueReaderBody,
    readonly actor: string,
    readonly correlationId: string,
  ) {}
}

export type ReaderIssue = Registered<ReaderIssuedV1> & { token: string | null };

@CommandHandler(IssueReader)
export class IssueReaderHandler implements ICommandHandler<IssueReader, ReaderIssue> {
  constructor(
    private readonly registrar: Registrar,
    private readonly directory: OrganisationDirectory,
    private readonly credentials: OrganisationCredentials,
  ) {}

  async execute({ body, actor, correlationId }: IssueReader): Promise<ReaderIssue> {
    const unitId = body.role === 'leader' ? (body.unitId ?? null) : null;
    if (unitId !== null && !(await this.directory.unit(unitId))) {
      throw new Refused(`unit ${unitId} does not exist`, [{ path: 'unitId', message: 'no such unit' }]);
    }
    const token = issueCredential('reader', body.id);
    const r = await this.registrar.register({
      what: 'reader',
      id: body.id,
      streamId: streamIds.reader(body.id),
      eventType: ReaderIssued.type,
      request: body,
      unitId,
      actor,
      correlationId,
      now: new Date(),
      propose: () => ({ readerId: body.id, role: body.role, unitId, tokenHash: hashCredential(token) }),
    });
    // This process may remember the id as unknown (someone tried the token before it existed).
    if (r.status === 'created') this.credentials.forget(streamIds.reader(body.id));
    return { ...r, token: r.status === 'created' ? token : null };
  }
}
