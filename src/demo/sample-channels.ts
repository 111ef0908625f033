/**
 * Realistic sample channels for `channel-keeper demo`, one per state a team meets, with dates
 * counted back from the demo's `today` so every run shows the same picture.
 */
import { addDays } from '../rules/calendar';
import { IsoDate } from '../domain';
import type { ConnectionInput } from '../store/connection-repository';

export interface SampleChannel {
  /** The state this sample shows (named in the demo's output). */
  state: string;
  input: ConnectionInput;
}

export const DEMO_USERS = { maya: 'U0DEMOMAYA', jonas: 'U0DEMOJONAS', priya: 'U0DEMOPRIYA', leo: 'U0DEMOLEO' } as const;

/** The sample people's names, as the bot caches them from Slack (the demo shows names, not ids). */
export const DEMO_NAMES: Readonly<Record<string, string>> = {
  [DEMO_USERS.maya]: 'Maya',
  [DEMO_USERS.jonas]: 'Jonas',
  [DEMO_USERS.priya]: 'Priya',
  [DEMO_USERS.leo]: 'Leo',
};

export function sampleChannels(today: IsoDate): SampleChannel[] {
  const { maya, jonas, priya, leo } = DEMO_USERS;
  const ago = (days: number) => addDays(today, -days);
  const secure = { sharedLogin: false, twoFactor: true, ownerSuperAdmin: true, permissionsGranted: true };
  return [
    {
      state: 'healthy',
      input: {
        network: 'linkedin',
        kind: 'company_page',
        name: 'Acme Corp',
        url: 'https://www.linkedin.com/company/acme',
        ownerId: maya,
        connectedAt: ago(400),
        lastRefreshedAt: ago(20),
        ownerLastActiveAt: ago(2),
        backups: [jonas],
        security: secure,
      },
    },
    {
      state: '30 days left',
      input: {
        network: 'linkedin',
        kind: 'showcase_page',
        name: 'Acme Careers',
        url: 'https://www.linkedin.com/showcase/acme-careers',
        ownerId: jonas,
        connectedAt: ago(335),
        ownerLastActiveAt: ago(5),
        backups: [maya],
        security: secure,
      },
    },
    {
      state: '3 days left',
      input: {
        network: 'linkedin',
        kind: 'showcase_page',
        name: 'Acme Engineering',
        ownerId: priya,
        connectedAt: ago(362),
        ownerLastActiveAt: ago(1),
        backups: [maya],
        security: secure,
      },
    },
    {
      state: 'expired',
      input: {
        network: 'facebook',
        kind: 'page',
        name: 'Acme on Facebook',
        url: 'https://www.facebook.com/acme',
        ownerId: maya,
        connectedAt: ago(62),
        ownerLastActiveAt: ago(3),
        backups: [leo],
        security: secure,
      },
    },
    {
      state: 'inactive owner',
      input: {
        network: 'linkedin',
        kind: 'company_page',
        name: 'Acme Labs',
        ownerId: leo,
        connectedAt: ago(200),
        lastRefreshedAt: ago(50),
        backups: [priya],
        security: secure,
      },
    },
    {
      state: 'no backup',
      input: {
        network: 'instagram',
        kind: 'business_account',
        name: 'Acme Instagram',
        ownerId: priya,
        connectedAt: ago(10),
        ownerLastActiveAt: ago(1),
        backups: [],
        security: { ...secure, twoFactor: false },
      },
    },
    {
      state: 'disconnected',
      input: {
        network: 'linkedin',
        kind: 'company_page',
        name: 'Acme Ventures',
        ownerId: jonas,
        connectedAt: ago(150),
        ownerLastActiveAt: ago(4),
        backups: [maya],
        status: 'disconnected',
        disconnectReason: 'password_change',
        disconnectedAt: ago(1),
      },
    },
  ];
}
