import type { Health } from '../../domain';

const LABELS: Record<Health, string> = {
  ok: ':large_green_circle: Healthy',
  attention: ':large_yellow_circle: Needs attention',
  at_risk: ':large_orange_circle: At risk',
  critical: ':red_circle: Critical',
  disconnected: ':black_circle: Disconnected',
};

export function healthLabel(health: Health): string {
  return LABELS[health];
}
