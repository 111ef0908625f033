/** The bot scopes an install asks for: both manifests list exactly these (test/bot/manifest.test.ts). */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'users:read',
  'channels:history',
  'channels:read',
  'groups:history',
  'im:history',
  'im:write',
  'files:write',
  // The status canvas: made and rewritten (write), its headings found again (read).
  'canvases:write',
  'canvases:read',
] as const;
