/**
 * Multi-workspace delivery: each workspace's rows are posted by a SlackDelivery of its own, whose
 * client carries that workspace's token (oauth/clients.ts). The deliveries are made on first use
 * and kept, so each keeps its channel pacing between passes.
 */
import type { DeliveryContext, DeliveryReport, WarningDelivery } from '../../runs/delivery';
import type { Logger } from '../../logger';
import type { Store } from '../../store/store';
import type { SlackClients } from '../oauth/clients';
import { SlackDelivery, type SlackDeliveryOptions } from './slack-delivery';

export interface PerWorkspaceDeliveryOptions {
  store: Store;
  clients: SlackClients;
  logger: Logger;
  /** The options of each workspace's SlackDelivery, but its client. */
  delivery: Omit<SlackDeliveryOptions, 'client' | 'store' | 'logger'>;
}

export class PerWorkspaceDelivery implements WarningDelivery {
  readonly posts = true;
  private readonly deliveries = new Map<string, SlackDelivery>();

  constructor(private readonly options: PerWorkspaceDeliveryOptions) {}

  deliver(context: DeliveryContext): Promise<DeliveryReport> {
    return this.of(context.workspace.id).deliver(context);
  }

  /** Rewrites settled messages, workspace by workspace (each with its own token). */
  async updateMessages(now: Date, workspaceId?: string): Promise<number> {
    const ids = workspaceId ? [workspaceId] : (await this.options.store.workspaces.list()).map((w) => w.id);
    let updated = 0;
    for (const id of ids) {
      try {
        updated += await this.of(id).updateMessages(now, id);
      } catch (error) {
        this.options.logger.warn({ workspaceId: id, err: (error as Error).message }, 'messages not updated');
      }
    }
    return updated;
  }

  /** Escalation steps due now, workspace by workspace (each DM and mention with the workspace's own token). */
  async escalate(now: Date, workspaceId?: string): Promise<number> {
    const ids = workspaceId ? [workspaceId] : (await this.options.store.workspaces.list()).map((w) => w.id);
    let escalated = 0;
    for (const id of ids) {
      try {
        escalated += await this.of(id).escalate(now, id);
      } catch (error) {
        this.options.logger.warn({ workspaceId: id, err: (error as Error).message }, 'escalation not run');
      }
    }
    return escalated;
  }

  private of(workspaceId: string): SlackDelivery {
    let delivery = this.deliveries.get(workspaceId);
    if (!delivery) {
      const { store, logger } = this.options;
      delivery = new SlackDelivery({ ...this.options.delivery, store, logger, client: this.options.clients.forWorkspace(workspaceId) });
      this.deliveries.set(workspaceId, delivery);
    }
    return delivery;
  }
}
