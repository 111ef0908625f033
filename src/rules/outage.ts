/**
 * Outage mode: while an admin has marked a network as disrupted, the
 * per-channel disconnection noise for it is held back: `disconnected` findings and daily `expired`
 * reminders are neither recorded nor resolved, so they come through as soon as the outage is lifted.
 */
import { NETWORKS, type Connection, type FindingKind, type Network, type Workspace } from '../domain';
import { EXPIRED_STAGE } from './finding';

export interface OutageHold {
  /** Networks currently marked as disrupted. */
  networks: Network[];
  /** True for a finding (or stored warning) that the outage holds back. */
  holds(item: { connectionId: number; kind: FindingKind; stage: string }): boolean;
}

export function isDisconnectionNoise(kind: FindingKind, stage: string): boolean {
  return kind === 'disconnected' || (kind === 'expiry' && stage === EXPIRED_STAGE);
}

export function outageHold(workspace: Pick<Workspace, 'outages'>, connections: ReadonlyMap<number, Pick<Connection, 'network'>>): OutageHold {
  const networks = NETWORKS.filter((n) => Boolean(workspace.outages[n]));
  const disrupted = new Set<Network>(networks);
  return {
    networks,
    holds(item) {
      if (!disrupted.size || !isDisconnectionNoise(item.kind, item.stage)) return false;
      const network = connections.get(item.connectionId)?.network;
      return network !== undefined && disrupted.has(network);
    },
  };
}
