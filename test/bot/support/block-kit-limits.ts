/**
 * Block Kit's published limits (Slack's Block Kit reference), checked over what a
 * builder produced. Returns every breach as a sentence; an empty list means the blocks fit.
 * Reusable by any suite: `expect(checkBlockKitLimits(blocks, 'message')).toEqual([])`.
 */
export type Surface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

type Json = Record<string, unknown>;

export function checkBlockKitLimits(blocks: readonly unknown[], surface: Surface): string[] {
  const problems: string[] = [];
  if (blocks.length > MAX_BLOCKS[surface]) problems.push(`${blocks.length} blocks; a ${surface} allows ${MAX_BLOCKS[surface]}`);
  const blockIds = new Set<string>();
  blocks.forEach((raw, i) => {
    const id = (raw as Json).block_id;
    if (typeof id === 'string') {
      if (blockIds.has(id)) problems.push(`blocks[${i}]: duplicate block_id ${id}`);
      blockIds.add(id);
    }
    checkBlock(raw as Json, `blocks[${i}]`, problems);
  });
  return problems;
}

/** A message: its blocks (1–50) and the fallback `text` notifications show (at most 40,000 characters). */
export function checkMessageLimits(message: { text?: unknown; blocks: readonly unknown[] }): string[] {
  const problems = checkBlockKitLimits(message.blocks, 'message');
  if (message.blocks.length < 1) problems.push('a message with blocks needs at least one');
  const text = typeof message.text === 'string' ? message.text : '';
  if (text.length < 1 || text.length > 40_000) problems.push(`fallback text has ${text.length} characters; allowed 1–40000`);
  return problems;
}

/** A modal view: its blocks plus title/submit/close (24 characters) and private_metadata (3000). */
export function checkModalLimits(view: Json): string[] {
  const problems = checkBlockKitLimits((view.blocks as unknown[]) ?? [], 'modal');
  for (const key of ['title', 'submit', 'close']) {
    const text = (view[key] as Json | undefined)?.text;
    if (typeof text === 'string' && text.length > 24) problems.push(`modal ${key} has ${text.length} characters; max 24`);
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) problems.push('private_metadata over 3000 characters');
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) problems.push('callback_id over 255 characters');
  return problems;
}

function textLength(text: unknown): number {
  return typeof (text as Json | undefined)?.text === 'string' ? ((text as Json).text as string).length : 0;
}

/** Truncating by UTF-16 units can cut an emoji in half, which Slack shows as garbage. */
function checkSurrogates(problems: string[], where: string, text: unknown): void {
  const value = (text as Json | undefined)?.text;
  if (typeof value === 'string' && /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value))
    problems.push(`${where}: half an emoji (lone surrogate)`);
}

function limit(problems: string[], where: string, what: string, length: number, max: number, min = 0): void {
  if (length > max || length < min) problems.push(`${where}: ${what} has ${length} characters; allowed ${min}–${max}`);
}

function checkBlock(block: Json, where: string, problems: string[]): void {
  if (typeof block.block_id === 'string') limit(problems, where, 'block_id', block.block_id.length, 255);
  switch (block.type) {
    case 'section': {
      if (block.text !== undefined) limit(problems, where, 'section text', textLength(block.text), 3000, 1);
      checkSurrogates(problems, where, block.text);
      const fields = (block.fields as Json[] | undefined) ?? [];
      if (fields.length > 10) problems.push(`${where}: ${fields.length} fields; max 10`);
      fields.forEach((f, i) => limit(problems, `${where}.fields[${i}]`, 'field', textLength(f), 2000, 1));
      if (block.text === undefined && !fields.length) problems.push(`${where}: a section needs text or fields`);
      if (block.accessory) checkElement(block.accessory as Json, `${where}.accessory`, problems);
      break;
    }
    case 'header':
      limit(problems, where, 'header text', textLength(block.text), 150, 1);
      if ((block.text as Json | undefined)?.type !== 'plain_text') problems.push(`${where}: header text must be plain_text`);
      checkSurrogates(problems, where, block.text);
      break;
    case 'context': {
      const elements = (block.elements as Json[]) ?? [];
      if (elements.length > 10 || elements.length < 1) problems.push(`${where}: ${elements.length} context elements; allowed 1–10`);
      elements.forEach((e, i) => limit(problems, `${where}.elements[${i}]`, 'context text', textLength(e), 3000));
      break;
    }
    case 'actions': {
      const elements = (block.elements as Json[]) ?? [];
      if (elements.length > 25 || elements.length < 1) problems.push(`${where}: ${elements.length} actions elements; allowed 1–25`);
      const actionIds = elements.map((e) => e.action_id).filter((id) => id !== undefined);
      if (new Set(actionIds).size !== actionIds.length) problems.push(`${where}: duplicate action_id in one block`);
      elements.forEach((e, i) => checkElement(e, `${where}.elements[${i}]`, problems));
      break;
    }
    case 'input':
      limit(problems, where, 'input label', textLength(block.label), 2000, 1);
      checkElement(block.element as Json, `${where}.element`, problems);
      break;
    default:
      break;
  }
}

function checkElement(element: Json, where: string, problems: string[]): void {
  if (typeof element.action_id === 'string') limit(problems, where, 'action_id', element.action_id.length, 255);
  if (element.type === 'button') {
    limit(problems, where, 'button text', textLength(element.text), 75, 1);
    checkSurrogates(problems, where, element.text);
    if (typeof element.value === 'string') limit(problems, where, 'button value', element.value.length, 2000);
    if (typeof element.url === 'string') limit(problems, where, 'button url', element.url.length, 3000);
  }
  // Slack refuses a prefilled value longer than the field allows.
  if (typeof element.initial_value === 'string' && typeof element.max_length === 'number' && element.initial_value.length > element.max_length) {
    problems.push(`${where}: initial_value longer than max_length ${element.max_length}`);
  }
  const options = (element.options as Json[] | undefined) ?? [];
  if (options.length > 100) problems.push(`${where}: ${options.length} options; max 100`);
  if (element.type === 'overflow' && (options.length < 2 || options.length > 5)) problems.push(`${where}: ${options.length} overflow options; allowed 2–5`);
  options.forEach((o, i) => {
    limit(problems, `${where}.options[${i}]`, 'option text', textLength(o.text), 75, 1);
    if (typeof o.value === 'string') limit(problems, `${where}.options[${i}]`, 'option value', o.value.length, 150);
  });
}
