/** The demo study's accounts; kept apart from the seed so services can name them without importing it. */
import type { Role } from '@concord/shared';

export const DEMO_DOMAIN = 'demo.concord';
export const DEMO_ACCOUNTS: { email: string; name: string; role: Role }[] = [
  { email: `owner@${DEMO_DOMAIN}`, name: 'Olga Owner', role: 'owner' },
  { email: `editor@${DEMO_DOMAIN}`, name: 'Erlan Editor', role: 'editor' },
  { email: `coder1@${DEMO_DOMAIN}`, name: 'Aida Coder', role: 'coder' },
  { email: `coder2@${DEMO_DOMAIN}`, name: 'Bolat Coder', role: 'coder' },
  { email: `coder3@${DEMO_DOMAIN}`, name: 'Dana Coder', role: 'coder' },
];
export const DEMO_PROJECT_NAME = 'Unfreedom Monitor: Kazakhstan 2022';

