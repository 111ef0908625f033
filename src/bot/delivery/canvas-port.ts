/**
 * The Slack side of the status canvas (src/outbox/status-canvas.ts): canvases.* and
 * conversations.canvases.create with the markdown of src/bot/blocks/status-canvas.ts, and Slack's
 * errors sorted into what the keeper decides on. It writes no row.
 */
import type { WebClient } from '@slack/web-api';
import type { CanvasPort, CanvasPorts, CanvasResult } from '../../outbox/status-canvas';
import { STATUS_CANVAS_TITLE } from '../../outbox/status-canvas';
import type { StatusSnapshot } from '../../services/status-canvas';
import { CANVAS_HEADINGS, canvasUnavailableNote, statusMarkdown } from '../blocks/status-canvas';
import type { SlackClients } from '../oauth/clients';

/** The channel has its canvas already (made by us before, or by the team). */
const EXISTS: ReadonlySet<string> = new Set(['channel_canvas_already_exists']);
/** Our canvas was deleted: the channel gets a new one. */
const GONE: ReadonlySet<string> = new Set(['canvas_not_found', 'file_not_found', 'canvas_deleted', 'file_deleted']);
/**
 * The plan, the workspace's settings or the channel keep the bot from having a canvas there: free
 * plans cannot have channel canvases (`team_tier_cannot_create_channel_canvases`,
 * `free_teams_cannot_create_non_tabbed_canvases`), admins may turn canvases off
 * (`canvas_disabled_*`, `not_allowed`, `restricted_action`), an install from before the canvas
 * scopes (`missing_scope`), a channel the bot cannot reach.
 */
const UNAVAILABLE: ReadonlySet<string> = new Set([
  'team_tier_cannot_create_channel_canvases',
  'free_teams_cannot_create_non_tabbed_canvases',
  'not_allowed',
  'not_allowed_token_type',
  'restricted_action',
  'missing_scope',
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'access_denied',
]);

function failure(error: unknown): Extract<CanvasResult<object>, { ok: false }> {
  const code = (error as { data?: { error?: string } }).data?.error ?? (error as { code?: string }).code ?? 'unknown';
  if (EXISTS.has(code)) return { ok: false, outcome: 'exists', code };
  if (GONE.has(code)) return { ok: false, outcome: 'gone', code };
  if (UNAVAILABLE.has(code) || code.startsWith('canvas_disabled')) return { ok: false, outcome: 'unavailable', code };
  return { ok: false, outcome: 'retry', code };
}

async function attempt<T extends object>(call: () => Promise<T>): Promise<CanvasResult<T>> {
  try {
    return { ok: true, ...(await call()) };
  } catch (error) {
    return failure(error);
  }
}

export class SlackCanvasPort implements CanvasPort {
  constructor(private readonly client: WebClient) {}

  create(channelId: string, title: string, status: StatusSnapshot): Promise<CanvasResult<{ canvasId: string }>> {
    return attempt(async () => {
      const answer = await this.client.conversations.canvases.create({
        channel_id: channelId,
        title,
        document_content: { type: 'markdown', markdown: statusMarkdown(status) },
      });
      return { canvasId: String(answer.canvas_id) };
    });
  }

  channelCanvas(channelId: string): Promise<CanvasResult<{ canvasId: string | null }>> {
    return attempt(async () => {
      const answer = await this.client.conversations.info({ channel: channelId });
      const properties = (answer.channel as { properties?: { canvas?: { file_id?: string } } } | undefined)?.properties;
      return { canvasId: properties?.canvas?.file_id ?? null };
    });
  }

  /** Each part's heading by its text; `title` only when the canvas carries our title heading. */
  sections(canvasId: string): Promise<CanvasResult<{ sectionIds: Record<string, string> }>> {
    return attempt(async () => {
      const lookup = async (types: ['h1'] | ['h2'], text: string) =>
        (await this.client.canvases.sections.lookup({ canvas_id: canvasId, criteria: { section_types: types, contains_text: text } })).sections?.[0]?.id;
      const title = await lookup(['h1'], STATUS_CANVAS_TITLE);
      if (!title) return { sectionIds: {} };
      const sectionIds: Record<string, string> = { title };
      for (const [part, heading] of Object.entries(CANVAS_HEADINGS)) {
        const id = await lookup(['h2'], heading);
        if (id) sectionIds[part] = id;
      }
      return { sectionIds };
    });
  }

  edit(canvasId: string, status: StatusSnapshot): Promise<CanvasResult<object>> {
    return attempt(async () => {
      // The whole canvas is the status: one `replace` without a section id rewrites all of it.
      await this.client.canvases.edit({
        canvas_id: canvasId,
        changes: [{ operation: 'replace', document_content: { type: 'markdown', markdown: statusMarkdown(status) } }],
      });
      return {};
    });
  }

  async tellAdmins(adminIds: readonly string[], note: { code: string; channelId: string }): Promise<void> {
    const text = canvasUnavailableNote(note.code, note.channelId);
    for (const admin of adminIds) await this.client.chat.postMessage({ channel: admin, text });
  }
}

/** Single-workspace mode: one client; multi-workspace mode: each workspace's own. */
export function canvasPorts(source: { client: WebClient } | { clients: SlackClients }): CanvasPorts {
  if ('client' in source) {
    const port = new SlackCanvasPort(source.client);
    return { forWorkspace: () => port };
  }
  return { forWorkspace: (workspaceId) => new SlackCanvasPort(source.clients.forWorkspace(workspaceId)) };
}
