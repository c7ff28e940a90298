// The shared case services a kind's module provides (it must import a module providing UNIT_DIRECTORY, such as
// apps/organisation's OrganisationDirectoryModule).
import type { Provider } from '@nestjs/common';
import { CaseAccess } from './case-access.js';
import { CaseFiling } from './case-filing.js';
import { CaseReader } from './case-reader.js';
import { CaseSteps } from './case-steps.js';
import { WorkingCalendars } from './working-calendars.js';

export const caseApiProviders: Provider[] = [CaseAccess, WorkingCalendars, CaseFiling, CaseSteps, CaseReader];
