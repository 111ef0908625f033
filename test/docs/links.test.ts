/**
 * The README and every page under docs/ link to files and headings that exist, as GitHub renders
 * them (a heading's anchor is its lower-cased text, punctuation dropped, spaces as hyphens), and the
 * README keeps the two commands a new reader runs, with what `npm test` needs said before them.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const PAGES = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The text outside fenced code blocks and inline code, where a link is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchors for a page's headings, numbered as GitHub numbers repeated ones. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, text] of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const slug = text!
      .toLowerCase()
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
}

function linksOf(page: string): { target: string; anchor: string | null }[] {
  const text = prose(fs.readFileSync(path.join(ROOT, page), 'utf8'));
  return [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((href) => !/^[a-z]+:/i.test(href))
    .map((href) => {
      const [file, anchor] = href.split('#') as [string, string | undefined];
      return { target: file ? path.posix.join(path.posix.dirname(page), file) : page, anchor: anchor ?? null };
    });
}

describe('links in the README and docs/', () => {
  it.each(PAGES)('%s links only to files and headings that exist', (page) => {
    const links = linksOf(page);
    const broken = links.filter(({ target, anchor }) => {
      const file = path.join(ROOT, target);
      if (!fs.existsSync(file)) return true;
      return anchor !== null && !anchorsOf(fs.readFileSync(file, 'utf8')).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  it('the README links to every page under docs/', () => {
    const linked = new Set(linksOf('README.md').map((l) => l.target));
    expect(PAGES.filter((p) => p.startsWith('docs/') && !linked.has(p))).toEqual([]);
  });
});

/** Every file under `dir` whose name ends in `.ts`, the generated clients left out. */
function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? (e.name === 'generated' ? [] : sources(path.join(dir, e.name))) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    );
}

describe('sections the code and the example files send readers to', () => {
  // `see "Create the Slack app" in README.md`, `docs/operations.md, "Configuration"`: in messages,
  // --help texts and comments alike.
  const files = [...sources(path.join(ROOT, 'src')), path.join(ROOT, '.env.example'), path.join(ROOT, 'manifest.yml')];
  const references = files.flatMap((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const at = path.relative(ROOT, file);
    return [
      ...[...text.matchAll(/"([^"\n]+)" in (README\.md|docs\/[\w-]+\.md)/g)].map((m) => ({ at, page: m[2]!, section: m[1]! })),
      ...[...text.matchAll(/(README\.md|docs\/[\w-]+\.md),? \(?"([^"\n]+)"/g)].map((m) => ({ at, page: m[1]!, section: m[2]! })),
    ];
  });

  it('finds the references', () => {
    expect(references.map((r) => r.page)).toEqual(expect.arrayContaining(['README.md', 'docs/operations.md', 'docs/command-line.md', 'docs/guide.md']));
  });

  it('each names a page that exists and a heading on it', () => {
    const missing = references.filter(({ page, section }) => {
      const file = path.join(ROOT, page);
      if (!fs.existsSync(file)) return true;
      const headings = [...fs.readFileSync(file, 'utf8').matchAll(/^#{1,6} +(.+?) *$/gm)].map((m) => m[1]!);
      return !headings.some((h) => h === section || h.startsWith(`${section} (`));
    });
    expect(missing).toEqual([]);
  });
});

describe('the README front page', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const commands = readme.indexOf('\n```sh\nnpm install && npm run demo ');

  it('gives the two commands, install-and-demo then test, in one block', () => {
    expect(commands).toBeGreaterThan(-1);
    const block = readme
      .slice(commands + 1)
      .split('\n```\n')[0]!
      .split('\n')
      .slice(1);
    expect(block.map((line) => line.split('#')[0]!.trim())).toEqual(['npm install && npm run demo', 'npm test']);
  });

  it('says npm test needs PostgreSQL before giving the command, and names the quick path', () => {
    expect(readme.slice(0, commands)).toMatch(/`npm test` also needs PostgreSQL/);
    expect(readme).toContain('`npm run test:unit`');
  });
});
