/** "Add backup", "Reassign owner", "Mark disconnected": check the right first, then open the modal. */
import type { App } from '@slack/bolt';
import { assertMay } from '../authorize';
import { ACTION } from '../blocks/action-ids';
import { buildDisconnectModal } from '../blocks/disconnect-modal';
import { buildPersonModal } from '../blocks/person-modal';
import type { BotDeps } from '../deps';
import { todayOf } from '../health-report';
import { metadataFor } from './action-context';
import { connectionListener } from './listener';

export function registerOpenModals(app: App, deps: BotDeps): void {
  app.action(
    ACTION.addBackup,
    connectionListener(deps, async (action, { client, body }) => {
      assertMay(action.actor, 'care', 'add a backup admin', action.connection);
      await client.views.open({ trigger_id: body.trigger_id, view: buildPersonModal('backup', action.connection, metadataFor(action, body.response_url)) });
    }),
  );
  app.action(
    ACTION.reassignOwner,
    connectionListener(deps, async (action, { client, body }) => {
      assertMay(action.actor, 'lead', 'reassign an owner', action.connection);
      await client.views.open({ trigger_id: body.trigger_id, view: buildPersonModal('owner', action.connection, metadataFor(action, body.response_url)) });
    }),
  );
  app.action(
    ACTION.markDisconnected,
    connectionListener(deps, async (action, { client, body }) => {
      assertMay(action.actor, 'lead', 'mark a channel disconnected', action.connection);
      const view = buildDisconnectModal(action.connection, todayOf(deps, action.workspace), metadataFor(action, body.response_url));
      await client.views.open({ trigger_id: body.trigger_id, view });
    }),
  );
}
