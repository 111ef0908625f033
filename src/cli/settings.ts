import fs from 'node:fs';
import { DEFAULT_POLICIES, POLICY_FIELDS } from '../rules/policy';
import { validateCheckTime, validatePolicyOverrides, validateTimeZone, type FieldError } from '../rules/policy-validation';
import { validateReportDay, validateReportTime } from '../rules/weekly-report';
import { DATABASE_VARIABLES } from '../config';
import { isChannelId, NETWORKS, type Network, type NetworkPolicy, type PolicyOverrides, type Workspace } from '../domain';
import { ValidationError } from '../errors';
import type { WorkspaceSettings } from '../store/workspace-repository';
import { CLI_ACTOR } from '../services/permissions';
import { checkWorkspaceId } from '../transfer/workspace-id';
import { defineCommand } from './command';
import { addEscalationOptions, escalationJson, formatEscalation, mergeEscalation, readEscalationOptions } from './escalation-settings';
import { commandConfig, withStore } from './context';
import { textTable } from './text-table';

/**
 * `channel-keeper settings`: shows a workspace's settings and every rule number in force per
 * network with where it comes from, or changes them. The per-network numbers are set here (the
 * Slack form only edits the ladder). `--policy` is merged into the overrides already saved; only
 * `--reset-policy` removes them. Every value goes through the same validators as the form; nothing
 * is written unless all are valid.
 */
export const settingsCommand = defineCommand({
  name: 'settings',
  summary: "show or change a workspace's settings and rule numbers",
  description:
    "Show a workspace's settings and every rule number in force per network with where it comes from, or change them. --policy is merged into the overrides already set; only --reset-policy removes them.",
  examples: [
    'settings --workspace T0123ABCD',
    'settings --workspace T0123ABCD --time-zone Europe/Berlin --check-time 08:30',
    `settings --workspace T0123ABCD --policy '{"networks":{"linkedin":{"expiryLadder":[21,7,1]}}}'`,
    'settings --workspace T0123ABCD --reset-policy',
    'settings --workspace T0123ABCD --escalate-critical "owner 2h, leaders 4h, channel 8h" --escalate-here on',
    'settings --workspace T0123ABCD --report-day friday --report-time 16:00',
  ],
  configure: (command) =>
    addEscalationOptions(command)
      .requiredOption('--workspace <id>', 'the workspace (its team id, see `channel-keeper workspaces`)')
      .option('--time-zone <IANA zone>', 'the zone the daily check and every day count use, e.g. Europe/Berlin')
      .option('--check-time <HH:mm>', 'the daily check time in that zone')
      .option('--alert-channel <C…>', 'the channel id warnings are posted to (not a #name)')
      .option('--policy <JSON | @file.json>', 'rule numbers to set, merged into those already set (fields in docs/guide.md, "Changing the numbers")')
      .option('--reset-policy', 'remove every rule override first (back to the defaults); with --policy, only the ones given remain')
      .option('--report-day <weekday | off>', 'the day the weekly report goes to the alert channel (default monday; off: none)')
      .option('--report-time <HH:mm | check>', "the weekly report's time in the workspace's zone (check: at the check time, the default)")
      .option('--status-canvas <on|off>', 'whether the alert channel keeps a status canvas (docs/workflows.md; default on)')
      .option('--json', 'print the settings and the numbers in force as JSON'),
  async action({ opts, io }) {
    const workspaceId = checkWorkspaceId(String(opts.workspace));
    const problems: FieldError[] = [];
    const changes: WorkspaceSettings = {};
    const text = (key: string) => (typeof opts[key] === 'string' ? (opts[key] as string) : undefined);
    const timeZone = text('timeZone');
    const checkTime = text('checkTime');
    const alertChannel = text('alertChannel');
    const policyText = text('policy');
    const resetPolicy = opts.resetPolicy === true;
    if (timeZone !== undefined) collect(validateTimeZone(timeZone), (v) => (changes.timeZone = v), problems);
    if (checkTime !== undefined) collect(validateCheckTime(checkTime), (v) => (changes.checkTime = v), problems);
    // The weekly report's own settings (docs/guide.md "The weekly report").
    const reportDay = text('reportDay');
    const reportTime = text('reportTime');
    if (reportDay !== undefined) collect(validateReportDay(reportDay), (v) => (changes.reportDay = v), problems);
    if (reportTime !== undefined) collect(validateReportTime(reportTime), (v) => (changes.reportTime = v), problems);
    const statusCanvas = text('statusCanvas');
    if (statusCanvas !== undefined) {
      if (statusCanvas === 'on' || statusCanvas === 'off') changes.statusCanvas = statusCanvas === 'on';
      else problems.push({ field: '--status-canvas', message: `must be on or off; got "${statusCanvas}"` });
    }
    if (alertChannel !== undefined) {
      if (isChannelId(alertChannel)) changes.alertChannel = alertChannel;
      else problems.push({ field: 'alertChannel', message: `must be a channel id such as C0123456789 (not a #name); got "${alertChannel}"` });
    }
    let patch: PolicyOverrides | null = null;
    if (policyText !== undefined) {
      const raw = readPolicy(policyText);
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        problems.push({
          field: 'policyOverrides',
          message: 'must be a JSON object with optional "all" and "networks"; to remove every override use --reset-policy',
        });
      } else collect(validatePolicyOverrides(raw), (v) => (patch = v), problems);
    }
    const escalation = readEscalationOptions(opts, problems);
    if (problems.length) {
      throw new ValidationError(`nothing was changed: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    }
    const config = commandConfig(DATABASE_VARIABLES);
    const { workspace, changed } = await withStore(config, async (store) => {
      const current = await store.workspaces.getById(workspaceId);
      if (resetPolicy || patch) {
        const merged = mergePolicyOverrides(resetPolicy ? {} : current.policyOverrides, patch ?? {});
        const checked = validatePolicyOverrides(merged);
        if (!checked.ok) throw new ValidationError(`nothing was changed: ${checked.errors.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
        changes.policyOverrides = checked.value;
      }
      if (escalation) changes.escalation = mergeEscalation(current.escalation, escalation);
      if (!differs(current, changes)) return { workspace: current, changed: false };
      // The same use case as the Slack settings form: audited, failed deliveries retried. This
      // process runs no scheduler to reschedule; a running `serve` picks the change up itself.
      const { changeSettings } = await import('../services/workspace');
      const saved = await changeSettings({ store, now: () => new Date() }, { workspace: current, actor: CLI_ACTOR }, changes);
      return { workspace: saved.workspace, changed: true };
    });
    io.out(opts.json === true ? JSON.stringify(settingsJson(workspace), null, 2) : formatSettings(workspace));
    if (changed) io.err('saved; a running `serve` picks up a new time zone or check time at its next settings refresh or restart');
    else if (Object.keys(changes).length) io.err('nothing changed: the settings already had these values');
    return 0;
  },
});

function collect<T>(result: { ok: true; value: T } | { ok: false; errors: FieldError[] }, apply: (value: T) => void, problems: FieldError[]): void {
  if (result.ok) apply(result.value);
  else problems.push(...result.errors);
}

function differs(current: Workspace, changes: WorkspaceSettings): boolean {
  return Object.entries(changes).some(([key, value]) => JSON.stringify((current as unknown as Record<string, unknown>)[key] ?? null) !== JSON.stringify(value));
}

/** `patch` over `base`, field by field: a field given replaces the one saved, the others stay. */
export function mergePolicyOverrides(base: PolicyOverrides, patch: PolicyOverrides): PolicyOverrides {
  const merged: PolicyOverrides = {};
  const all = { ...base.all, ...patch.all };
  if (Object.keys(all).length) merged.all = all;
  const networks: Partial<Record<Network, Partial<NetworkPolicy>>> = {};
  for (const network of NETWORKS) {
    const layer = { ...base.networks?.[network], ...patch.networks?.[network] };
    if (Object.keys(layer).length) networks[network] = layer;
  }
  if (Object.keys(networks).length) merged.networks = networks;
  return merged;
}

export type PolicySource = 'default' | 'all' | 'network';

export interface NumberInForce<T> {
  value: T;
  source: PolicySource;
}

export type PolicyInForce = { [F in (typeof POLICY_FIELDS)[number]]: NumberInForce<NetworkPolicy[F]> };

/** Every rule number per network, with where it comes from: the network's override, `all`, or the default. */
export function policyInForce(overrides: PolicyOverrides): Record<Network, PolicyInForce> {
  const out = {} as Record<Network, PolicyInForce>;
  for (const network of NETWORKS) {
    const entry = {} as Record<string, NumberInForce<unknown>>;
    for (const field of POLICY_FIELDS) {
      const own = overrides.networks?.[network]?.[field];
      const all = overrides.all?.[field];
      entry[field] =
        own !== undefined
          ? { value: own, source: 'network' }
          : all !== undefined
            ? { value: all, source: 'all' }
            : { value: DEFAULT_POLICIES[network][field], source: 'default' };
    }
    out[network] = entry as PolicyInForce;
  }
  return out;
}

function settingsJson(workspace: Workspace) {
  const { id, name, timeZone, checkTime, alertChannel, policyOverrides, outages, reportDay, reportTime, statusCanvas } = workspace;
  return {
    workspace: id,
    name,
    timeZone,
    checkTime,
    alertChannel,
    policyOverrides,
    outages,
    report: { day: reportDay, time: reportTime },
    statusCanvas,
    policy: policyInForce(policyOverrides),
    escalation: escalationJson(workspace),
  };
}

const COLUMNS: { field: (typeof POLICY_FIELDS)[number]; title: string }[] = [
  { field: 'lifespanDays', title: 'lifespan' },
  { field: 'expiryLadder', title: 'ladder' },
  { field: 'inactivityWarnDays', title: 'inactive warn' },
  { field: 'inactivityCriticalDays', title: 'inactive crit.' },
  { field: 'refreshRecommendedDays', title: 'refresh rec.' },
  { field: 'refreshOverdueDays', title: 'refresh overdue' },
];
const MARK: Record<PolicySource, string> = { default: '', all: ' (a)', network: ' (n)' };

/** What a person reads: the settings, then one row per network with every number in force. */
export function formatSettings(workspace: Workspace): string {
  const outages = Object.keys(workspace.outages);
  const lines = [
    `Workspace ${workspace.name ? `${workspace.name} (${workspace.id})` : workspace.id}`,
    `  time zone      ${workspace.timeZone}`,
    `  check time     ${workspace.checkTime} (daily, in that zone)`,
    `  alert channel  ${workspace.alertChannel ?? 'not chosen (SLACK_ALERT_CHANNEL, when set, is used)'}`,
    `  weekly report  ${workspace.reportDay === 'off' ? 'off' : `${workspace.reportDay} at ${workspace.reportTime ?? `${workspace.checkTime} (the check time)`}`}`,
    `  status canvas  ${workspace.statusCanvas ? 'on (in the alert channel)' : 'off'}`,
    `  outages        ${outages.length ? outages.join(', ') : 'none'}`,
    '',
    'Rule numbers in force, in days ("off": the rule is switched off):',
  ];
  const inForce = policyInForce(workspace.policyOverrides);
  const rows = [
    ['network', ...COLUMNS.map((c) => c.title)],
    ...NETWORKS.map((network) => [
      network,
      ...COLUMNS.map(({ field }) => {
        const { value, source } = inForce[network][field];
        const shown = value === null ? 'off' : Array.isArray(value) ? value.join(',') : String(value);
        return `${shown}${MARK[source]}`;
      }),
    ]),
  ];
  lines.push(...textTable(rows, '  '));
  lines.push('', 'Where each comes from: the default, unless marked (a) set for all networks or (n) set for this network.');
  lines.push('', ...formatEscalation(workspace));
  return lines.join('\n');
}

/** JSON given inline, or `@path` to a file. */
function readPolicy(text: string): unknown {
  const source = text.startsWith('@') ? readFile(text.slice(1)) : text;
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new ValidationError(`--policy is not valid JSON (${(error as Error).message}); e.g. '{"networks":{"linkedin":{"expiryLadder":[21,7,1]}}}'`);
  }
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new ValidationError(`--policy @${file}: no such file`);
  }
}
