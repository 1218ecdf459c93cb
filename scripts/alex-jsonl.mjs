#!/usr/bin/env node
// alex over JSONL, for `preflight-judge --conduct` (docs/JUDGEMENT.md): reads one JSON object
// with a `text` field per line on stdin and prints, per line and in order, one JSON object
// `{"messages": N, "rules": [...]}`: how many warnings alex (the npm package in
// node_modules, default options, plain text) gives the text, and their rule ids.
// Install it with `npm ci` at the repository root.
import { createInterface } from 'node:readline';
import { text as alexText } from 'alex';

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
for await (const line of rl) {
  if (line.trim() === '') continue;
  const { text } = JSON.parse(line);
  const messages = alexText(String(text ?? '')).messages;
  out.push(JSON.stringify({ messages: messages.length, rules: messages.map((m) => m.ruleId) }));
  if (out.length >= 512) {
    process.stdout.write(out.join('\n') + '\n');
    out.length = 0;
  }
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
