#!/usr/bin/env node
// The Dockerfile's stages without Docker: `node scripts/docker-stages.js <context> <out>` reads
// <context>/Dockerfile and .dockerignore, and builds each stage in <out>/<stage>/ the way the
// builder would: COPY from the filtered context or from an earlier stage, RUN in the stage's
// WORKDIR with its ENV. It writes <out>/image.json (the last stage: its root, env, user, ports,
// entrypoint, command, healthcheck, stop signal) for a test to start the container's command.
// Not like Docker: RUN uses this machine's Node, npm and shell, not the base image's; `--chown`
// and USER are recorded, not applied (no such users here); `--mount` flags are dropped.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** Instructions with continuations joined, comments and parser directives dropped. */
function instructions(text) {
  const out = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!current && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    const match = /^\s*(\w+)\s+([\s\S]*)$/.exec(current);
    if (!match) throw new Error(`Dockerfile: cannot read "${current}"`);
    out.push({ keyword: match[1].toUpperCase(), args: match[2].trim() });
    current = '';
  }
  return out;
}

/** Leading `--name=value` flags, and the rest. */
function flags(args) {
  const found = {};
  let rest = args;
  for (let match; (match = /^--([\w-]+)=(\S+)\s+/.exec(rest)); rest = rest.slice(match[0].length)) found[match[1]] = match[2];
  return { flags: found, rest };
}

/** JSON (exec) form, or shell form run through /bin/sh -c. */
function commandForm(text) {
  return text.startsWith('[') ? JSON.parse(text) : ['/bin/sh', '-c', text];
}

function substitute(text, vars) {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a, b) => vars[a ?? b] ?? whole);
}

/** .dockerignore as Docker reads it: anchored at the context root; the last matching line wins. */
function ignoreRules(context) {
  const file = path.join(context, '.dockerignore');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = path.posix.normalize((negate ? line.slice(1) : line).replace(/^\/+/, ''));
      const source = pattern
        .split(/(\*\*|\*|\?)/)
        .map((part) => ({ '**': '.*', '*': '[^/]*', '?': '[^/]' })[part] ?? part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
        .join('');
      return { negate, regex: new RegExp(`^${source}$`) };
    });
}

function ignored(rules, relative) {
  const prefixes = relative.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const rule of rules) if (prefixes.some((prefix) => rule.regex.test(prefix))) excluded = !rule.negate;
  return excluded;
}

function copy(from, to, filter) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true, filter });
}

function build(context, out) {
  const text = fs.readFileSync(path.join(context, 'Dockerfile'), 'utf8');
  const rules = ignoreRules(context);
  const args = {};
  const stages = new Map();
  let stage = null;
  const log = (line) => process.stderr.write(`docker-stages: ${line}\n`);
  for (const { keyword, args: raw } of instructions(text)) {
    if (keyword === 'ARG') {
      const [name, value = ''] = raw.split('=');
      if (!stage) args[name] = process.env[`DOCKER_ARG_${name}`] ?? value;
      continue;
    }
    if (keyword === 'FROM') {
      const [image, , name] = substitute(raw, args).split(/\s+/);
      const label = name ?? String(stages.size);
      stage = { name: label, image, root: path.join(out, label), workdir: '/', env: {}, user: 'root', chown: [], ports: [], volumes: [], commands: [] };
      fs.mkdirSync(stage.root, { recursive: true });
      stages.set(label, stage);
      log(`stage ${label} (FROM ${image})`);
      continue;
    }
    if (!stage) throw new Error(`Dockerfile: ${keyword} before FROM`);
    const inStage = (p) => path.join(stage.root, path.posix.isAbsolute(p) ? p : path.posix.join(stage.workdir, p));
    switch (keyword) {
      case 'WORKDIR':
        stage.workdir = path.posix.resolve(stage.workdir, raw);
        fs.mkdirSync(inStage('.'), { recursive: true });
        break;
      case 'ENV':
        for (const match of raw.matchAll(/(\w+)=("[^"]*"|\S+)/g)) stage.env[match[1]] = match[2].replace(/^"|"$/g, '');
        break;
      case 'COPY': {
        const { flags: copyFlags, rest } = flags(raw);
        const parts = rest.startsWith('[') ? JSON.parse(rest) : rest.split(/\s+/);
        const dest = parts.pop();
        const from = copyFlags.from ? stages.get(copyFlags.from) : null;
        if (copyFlags.from && !from) throw new Error(`COPY --from=${copyFlags.from}: no such stage`);
        if (copyFlags.chown) stage.chown.push({ path: dest, owner: copyFlags.chown });
        for (const source of parts) {
          const sourcePath = from ? path.join(from.root, source) : path.join(context, source);
          if (!fs.existsSync(sourcePath)) throw new Error(`COPY ${source}: not found${from ? ` in stage ${from.name}` : ' in the context'}`);
          const isDir = fs.statSync(sourcePath).isDirectory();
          const target = isDir || !(dest.endsWith('/') || parts.length > 1) ? inStage(dest) : path.join(inStage(dest), path.basename(source));
          const filter = from ? undefined : (file) => file === context || !ignored(rules, path.relative(context, file).split(path.sep).join('/'));
          if (!from && ignored(rules, path.posix.normalize(source))) throw new Error(`COPY ${source}: excluded by .dockerignore`);
          if (!isDir) {
            copy(sourcePath, target);
            continue;
          }
          // A folder's contents go into the destination, as Docker copies them.
          for (const entry of fs.readdirSync(sourcePath)) {
            const child = path.join(sourcePath, entry);
            if (!filter || filter(child)) copy(child, path.join(target, entry), filter);
          }
        }
        break;
      }
      case 'RUN': {
        const command = flags(raw).rest;
        log(`RUN ${command}`);
        stage.commands.push(command);
        const [file, ...rest] = commandForm(command);
        execFileSync(file, rest, { cwd: inStage('.'), env: { ...process.env, ...stage.env }, stdio: ['ignore', 'inherit', 'inherit'] });
        break;
      }
      case 'USER':
        stage.user = raw;
        break;
      case 'EXPOSE':
        stage.ports.push(...raw.split(/\s+/));
        break;
      case 'VOLUME':
        stage.volumes.push(...(raw.startsWith('[') ? JSON.parse(raw) : raw.split(/\s+/)));
        break;
      case 'STOPSIGNAL':
        stage.stopSignal = raw;
        break;
      case 'HEALTHCHECK': {
        const { flags: options, rest } = flags(raw.replace(/^((?:--[\w-]+=\S+\s+)*)CMD\s+/, '$1'));
        stage.healthcheck = { options, command: commandForm(rest) };
        break;
      }
      case 'ENTRYPOINT':
        stage.entrypoint = commandForm(raw);
        break;
      case 'CMD':
        stage.cmd = commandForm(raw);
        break;
      case 'LABEL':
        break;
      default:
        throw new Error(`Dockerfile: ${keyword} is not handled here`);
    }
  }
  const image = { ...stage, stages: [...stages.values()].map(({ name, image: from, commands }) => ({ name, from, commands })) };
  fs.writeFileSync(path.join(out, 'image.json'), `${JSON.stringify(image, null, 2)}\n`);
  return image;
}

if (require.main === module) {
  const [context, out] = process.argv.slice(2);
  if (!context || !out) {
    process.stderr.write('usage: node scripts/docker-stages.js <context folder> <output folder>\n');
    process.exit(2);
  }
  build(path.resolve(context), path.resolve(out));
}

module.exports = { build, instructions };
