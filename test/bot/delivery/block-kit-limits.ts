/**
 * Slack's Block Kit limits (docs/slack-and-linkedin-facts.md) as a checker: every message the
 * delivery builds goes through it. Returns the violations, so a failing test says which limit.
 */
import type { KnownBlock } from '@slack/types';

interface Message {
  text: string;
  blocks: KnownBlock[];
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function textOf(obj: Json | undefined): string {
  return typeof obj?.text === 'string' ? obj.text : '';
}

function checkText(where: string, obj: Json | undefined, max: number, out: string[]): void {
  const text = textOf(obj);
  if (text.length < 1) out.push(`${where}: empty text`);
  if (text.length > max) out.push(`${where}: text ${text.length} > ${max}`);
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) out.push(`${where}: half an emoji (lone surrogate)`);
}

function checkOptions(where: string, options: Json[] | undefined, min: number, max: number, out: string[]): void {
  const list = options ?? [];
  if (list.length < min || list.length > max) out.push(`${where}: ${list.length} options, allowed ${min}–${max}`);
  list.forEach((o, i) => {
    checkText(`${where}.options[${i}]`, o.text, 75, out);
    if (typeof o.value !== 'string' || o.value.length > 150) out.push(`${where}.options[${i}]: value ${o.value?.length} > 150`);
  });
}

function checkElement(where: string, el: Json, out: string[]): void {
  if (typeof el.action_id === 'string' && el.action_id.length > 255) out.push(`${where}: action_id > 255`);
  switch (el.type) {
    case 'button':
      checkText(`${where}.text`, el.text, 75, out);
      if (typeof el.value === 'string' && el.value.length > 2000) out.push(`${where}: value > 2000`);
      if (typeof el.url === 'string' && el.url.length > 3000) out.push(`${where}: url > 3000`);
      break;
    case 'overflow':
      checkOptions(where, el.options, 2, 5, out);
      break;
    case 'static_select':
      checkText(`${where}.placeholder`, el.placeholder, 150, out);
      checkOptions(where, el.options, 1, 100, out);
      break;
    default:
      out.push(`${where}: element type ${el.type} not checked by this checker`);
  }
}

export function blockKitViolations(message: Message): string[] {
  const out: string[] = [];
  if (!message.text || message.text.length > 40_000) out.push(`fallback text length ${message.text?.length ?? 0}`);
  if (message.blocks.length < 1 || message.blocks.length > 50) out.push(`${message.blocks.length} blocks, allowed 1–50`);
  const blockIds = new Set<string>();
  message.blocks.forEach((block: Json, b) => {
    const where = `blocks[${b}] (${block.type})`;
    if (block.block_id !== undefined) {
      if (block.block_id.length > 255) out.push(`${where}: block_id > 255`);
      if (blockIds.has(block.block_id)) out.push(`${where}: duplicate block_id ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'header':
        if (block.text?.type !== 'plain_text') out.push(`${where}: header text must be plain_text`);
        checkText(where, block.text, 150, out);
        break;
      case 'section':
        if (!block.text && !block.fields) out.push(`${where}: needs text or fields`);
        if (block.text) checkText(where, block.text, 3000, out);
        if (block.fields && block.fields.length > 10) out.push(`${where}: ${block.fields.length} fields > 10`);
        (block.fields ?? []).forEach((f: Json, i: number) => checkText(`${where}.fields[${i}]`, f, 2000, out));
        if (block.accessory) checkElement(`${where}.accessory`, block.accessory, out);
        break;
      case 'context':
        if (block.elements.length < 1 || block.elements.length > 10) out.push(`${where}: ${block.elements.length} elements, allowed 1–10`);
        block.elements.forEach((e: Json, i: number) => checkText(`${where}.elements[${i}]`, e, 3000, out));
        break;
      case 'actions': {
        if (block.elements.length < 1 || block.elements.length > 25) out.push(`${where}: ${block.elements.length} elements, allowed 1–25`);
        const actionIds = block.elements.map((e: Json) => e.action_id);
        if (new Set(actionIds).size !== actionIds.length) out.push(`${where}: duplicate action_id in one block`);
        block.elements.forEach((e: Json, i: number) => checkElement(`${where}.elements[${i}]`, e, out));
        break;
      }
      case 'divider':
        break;
      default:
        out.push(`${where}: block type not checked by this checker`);
    }
  });
  return out;
}
