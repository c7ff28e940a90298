// The routes of a case kind, made from its definition instead of a controller per step: `POST
// /v1/<plural>/:id/<step>` for each public step (each with its own body schema, body limit and OpenAPI entry)
// and `GET /v1/<plural>/:id`. A step the kind does not have, or one only the system takes, has no route (404).
// The filing route stays in the kind's own use-case folder.
import { applyDecorators, Body, Controller, Get, HttpCode, Inject, Param, Post, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Allow, BodyLimit, CorrelationId, CurrentPrincipal, type Principal } from '@minyi/platform';
import type { CaseKindApi, CompiledStep } from './case-kind-api.js';
import { asStored, CaseReader, type CasePresenter, type CaseDocument } from './case-reader.js';
import { CaseSteps, type StepOutcome } from './case-steps.js';

export interface CaseControllerOptions {
  /** The OpenAPI tag (default: the plural). */
  tag?: string;
  /** An injectable that shows the filed fields to a caller (default: as stored). Provide it in the kind's module. */
  presenter?: Type<CasePresenter>;
  /** What the case is, for the GET's description (e.g. 'complaint'). */
  noun?: string;
}

const STEP_RESPONSES = [
  ApiResponse({ status: 200, description: '{ id, stepId, status: "done", state }, or status "duplicate" (the state now) for the same stepId and body again' }),
  ApiResponse({ status: 400, description: 'invalid body (problem+json naming each field)' }),
  ApiResponse({ status: 403, description: 'not the admin, or a client without cases:write covering the case’s responsible unit' }),
  ApiResponse({ status: 404, description: 'no such case' }),
  ApiResponse({ status: 409, description: 'the state does not allow the step (detail names it), or the stepId was used for another body or step' }),
  ApiResponse({ status: 422, description: 'occurredAt more than 5 minutes ahead or earlier than the previous step; a named unit does not exist' }),
];

/** Applies method decorators to a method defined on a prototype at run time. */
function decorate(prototype: object, name: string, decorators: MethodDecorator[]): void {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, name)!;
  applyDecorators(...decorators)(prototype, name, descriptor);
  Object.defineProperty(prototype, name, descriptor);
}

/** Declares the parameters of a run-time method, as the decorators in a class body would. */
function parameters(prototype: object, name: string, decorators: ParameterDecorator[], types: unknown[]): void {
  decorators.forEach((d, i) => d(prototype, name, i));
  Reflect.defineMetadata('design:paramtypes', types, prototype, name);
}

function stepDescription(api: CaseKindApi, step: CompiledStep): string {
  const rule = api.kind.steps[step.name];
  const parts = [`Allowed from: ${rule.from.join(', ')}.`];
  if (step.description) parts.unshift(step.description);
  if (rule.deadline) parts.push('Sets the deadline: the end of the N-th working day after the local date of occurredAt (MINYI_TZ), computed now from the working-day calendar and stored.');
  parts.push('Taken by the admin token or a client with cases:write whose unit covers the case’s responsible unit before the step.');
  return parts.join(' ');
}

/**
 * A controller class for the kind's steps and its GET by id. Provide `CaseSteps`, `CaseReader` (and their
 * dependencies: `caseApiProviders`) and the presenter in the kind's module, which must import a module
 * providing UNIT_DIRECTORY.
 */
export function caseController(api: CaseKindApi, options: CaseControllerOptions = {}): Type<unknown> {
  const { kind } = api;
  const presenterToken = options.presenter;

  class GeneratedCaseController {
    constructor(
      readonly steps: CaseSteps,
      readonly reader: CaseReader,
      readonly presenter: CasePresenter | undefined,
    ) {}
  }
  Object.defineProperty(GeneratedCaseController, 'name', { value: `${kind.kind[0].toUpperCase()}${kind.kind.slice(1)}CaseController` });
  Inject(CaseSteps)(GeneratedCaseController, undefined as never, 0);
  Inject(CaseReader)(GeneratedCaseController, undefined as never, 1);
  if (presenterToken) Inject(presenterToken)(GeneratedCaseController, undefined as never, 2);
  Reflect.defineMetadata('design:paramtypes', presenterToken ? [CaseSteps, CaseReader, presenterToken] : [CaseSteps, CaseReader], GeneratedCaseController);
  const prototype = GeneratedCaseController.prototype as unknown as Record<string, unknown>;

  for (const step of api.steps.values()) {
    const method = `step_${step.name}`;
    Object.defineProperty(prototype, method, {
      value: function (this: GeneratedCaseController, id: string, body: unknown, principal: Principal, correlationId: string): Promise<StepOutcome> {
        return this.steps.take(api, { caseId: id, step: step.name, body, principal, correlationId });
      },
      writable: true,
      configurable: true,
    });
    parameters(prototype, method, [Param('id'), Body(), CurrentPrincipal(), CorrelationId()], [String, Object, Object, String]);
    decorate(prototype, method, [
      Post(`:id/${step.name}`),
      HttpCode(200),
      Allow('admin', 'client'),
      ...(step.bodyLimit ? [BodyLimit(step.bodyLimit.bytes, step.bodyLimit.reason)] : []),
      ApiOperation({ summary: step.summary, description: stepDescription(api, step), operationId: `${kind.plural}_${step.name}` }),
      ApiParam({ name: 'id', description: `the ${options.noun ?? kind.kind}’s id` }),
      ApiBody({ schema: step.schema.schema }),
      ...STEP_RESPONSES,
    ]);
  }

  Object.defineProperty(prototype, 'read', {
    value: function (this: GeneratedCaseController, id: string, principal: Principal): Promise<CaseDocument> {
      return this.reader.read(api, id, principal, this.presenter ?? asStored);
    },
    writable: true,
    configurable: true,
  });
  parameters(prototype, 'read', [Param('id'), CurrentPrincipal()], [String, Object]);
  decorate(prototype, 'read', [
    Get(':id'),
    Allow('admin', 'reader', 'client'),
    ApiOperation({
      summary: `One ${options.noun ?? kind.kind} with every step, read from its own events`,
      description:
        'Shows every step answered 200 before it was asked (read your writes): its filed fields, state, responsibleUnitId, ' +
        'dueAt (the deadline in force, kept after handling; null if none was ever set), overdue, and steps oldest first ' +
        '({ stepId, step, occurredAt, recordedAt, actor, …the step’s fields; dueAt for a step that set a deadline }). For the admin, ' +
        'a reader whose scope covers the responsible unit (analyst: every unit; leader: their subtree) and clients with ' +
        'cases:write covering it. Contact details only for the admin and those clients.',
      operationId: `${kind.plural}_get`,
    }),
    ApiParam({ name: 'id', description: `the ${options.noun ?? kind.kind}’s id` }),
    ApiResponse({ status: 200, description: 'the case' }),
    ApiResponse({ status: 403, description: 'the caller’s scope does not cover the responsible unit' }),
    ApiResponse({ status: 404, description: 'no such case' }),
  ]);

  ApiTags(options.tag ?? kind.plural)(GeneratedCaseController);
  ApiBearerAuth()(GeneratedCaseController);
  Controller(`v1/${kind.plural}`)(GeneratedCaseController);
  return GeneratedCaseController;
}
