/** Splits what follows `/channels` into words; "double quotes" (straight or curly) keep a multi-word name together. */
export interface Word {
  text: string;
  quoted: boolean;
}

export const MAX_COMMAND_TEXT = 500;

export function tokenize(text: string): Word[] {
  const words: Word[] = [];
  const pattern = /["“”]([^"“”]*)["“”]|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[1] !== undefined) words.push({ text: match[1].trim(), quoted: true });
    else if (match[2] !== undefined) words.push({ text: match[2], quoted: false });
  }
  return words;
}

export function joinWords(words: readonly Word[]): string {
  return words.map((w) => w.text).join(' ');
}
