// GET /v1/<kind> (a ledger, 台账) for each ledger definition: one controller class made per kind, so that a new
// kind's ledger is an entry in LEDGERS. GET /v1/<kind>/{id} is the kind's own (read your writes, libs/case-api).
import { Controller, Get, Inject, Query, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, SchemaPipe, type Principal } from '@minyi/platform';
import { GetLedger, type LedgerPage } from './get-ledger.handler.js';
import { DEFAULT_LIMIT, ledgerSchema, MAX_LIMIT, type GetLedgerParams } from './get-ledger.schema.js';
import type { LedgerDefinition } from './ledgers.js';

export function ledgerController(ledger: LedgerDefinition): Type<unknown> {
  const name = `${ledger.plural[0].toUpperCase()}${ledger.plural.slice(1)}`;

  @ApiTags('ledgers')
  @ApiBearerAuth()
  @Controller(`v1/${ledger.plural}`)
  class LedgerController {
    constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

    @Get()
    @Allow('reader', 'admin', 'client')
    @ApiOperation({
      operationId: `list${name}`,
      summary: `The ${ledger.kind} ledger (台账): the ${ledger.plural} under a unit, filtered, newest filing first`,
      description:
        `Cases under the scope by responsible unit (now), filed in [from, to] (local dates in MINYI_TZ), newest occurredAt first, ` +
        `then id ascending; nextCursor is null on the last page. Walking the pages meets every case filed before the first page was ` +
        `read exactly once, however many are filed meanwhile. Readers (a leader within its subtree) and the admin; clients with ` +
        `cases:write within their unit. Never shows contact details.`,
    })
    @ApiQuery({ name: 'scope', example: 'unit:sz', description: 'unit:<id> (required)' })
    @ApiQuery({ name: 'state', required: false, enum: [...ledger.states] })
    @ApiQuery({ name: 'category', required: false })
    @ApiQuery({ name: 'overdue', required: false, enum: ['true', 'false'] })
    @ApiQuery({ name: 'from', required: false, example: '2026-01-01' })
    @ApiQuery({ name: 'to', required: false, example: '2026-12-31' })
    @ApiQuery({ name: 'limit', required: false, description: `1–${MAX_LIMIT}, default ${DEFAULT_LIMIT}` })
    @ApiQuery({ name: 'cursor', required: false, description: 'the nextCursor of the page before (opaque)' })
    @ApiResponse({ status: 200, description: `{ items: [ { id, unitId, responsibleUnitId, ${ledger.categoryName}, state, occurredAt, dueAt, overdue${ledger.text ? ', text' : ''} } ], nextCursor }` })
    @ApiResponse({ status: 400, description: 'a bad filter, limit or cursor' })
    @ApiResponse({ status: 403, description: 'a token that may not read that unit' })
    @ApiResponse({ status: 404, description: 'the unit does not exist' })
    list(@Query(new SchemaPipe(ledgerSchema(ledger))) params: GetLedgerParams, @CurrentPrincipal() principal: Principal): Promise<LedgerPage> {
      return this.queries.execute(new GetLedger(ledger, params, principal));
    }
  }
  Object.defineProperty(LedgerController, 'name', { value: `List${name}Controller` });
  return LedgerController;
}
