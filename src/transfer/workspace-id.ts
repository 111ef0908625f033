import { ValidationError } from '../errors';

/** Slack team ids (T…, or E… for an Enterprise Grid org); a typo would otherwise become a new workspace. */
const SLACK_TEAM_ID = /^[TE][A-Z0-9]{2,}$/;

export function checkWorkspaceId(id: string): string {
  if (!SLACK_TEAM_ID.test(id)) throw new ValidationError(`--workspace must be a Slack team id such as T0123ABCD; got "${id}"`);
  return id;
}
