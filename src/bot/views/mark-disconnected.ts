import type { App } from '@slack/bolt';
import { isIsoDate } from '../../checks';
import { NotFoundError } from '../../errors';
import { VIEW } from '../blocks/action-ids';
import { DISCONNECT_FIELD } from '../blocks/disconnect-modal';
import type { BotDeps } from '../deps';
import { todayOf } from '../health-report';
import { markDisconnected, parseDisconnectReason } from '../operations/leading';
import { field, FieldError, submissionListener } from './submission';

export function registerMarkDisconnected(app: App, deps: BotDeps): void {
  app.view(
    VIEW.markDisconnected,
    submissionListener(deps, async (s) => {
      const connection = s.metadata.connectionId === undefined ? null : await deps.store.connections.findById(s.workspace.id, s.metadata.connectionId);
      if (!connection) throw new NotFoundError('That channel was removed meanwhile; nothing was changed.');
      const today = todayOf(deps, s.workspace);
      const on = field(s.values, DISCONNECT_FIELD.on)?.selected_date ?? today;
      if (!isIsoDate(on) || on > today) throw new FieldError({ [DISCONNECT_FIELD.on]: `Pick a date up to today (${today}).` });
      const reason = parseDisconnectReason(field(s.values, DISCONNECT_FIELD.reason)?.selected_option?.value ?? 'unknown');
      return { note: await markDisconnected(s, connection, reason, on), connectionId: connection.id };
    }),
  );
}
