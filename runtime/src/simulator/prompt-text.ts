/**
 * Turns SVAML prompt strings into what the caller hears. A prompt string joins parts with `;`;
 * each part is `#tts[text]`, `#ssml[markup]`, `#href[url]`, a bare URL, or a recorded prompt id.
 */

/** Splits a prompt string into readable parts: spoken text, `[SSML] …`, `[audio] url` or `[prompt] id`. */
export function promptParts(prompt: unknown): string[] {
  if (typeof prompt !== 'string' || prompt.trim() === '') return [];
  const parts: string[] = [];
  // `;` inside brackets belongs to the text, so split only outside `[...]`.
  let depth = 0;
  let current = '';
  for (const character of prompt) {
    if (character === '[') depth += 1;
    if (character === ']' && depth > 0) depth -= 1;
    if (character === ';' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '').map(describePart);
}

function describePart(part: string): string {
  const tagged = /^#(tts|ssml|href)\[([\s\S]*)\]$/i.exec(part);
  if (tagged !== null) {
    const [, tag, content] = tagged;
    if (tag.toLowerCase() === 'tts') return content;
    if (tag.toLowerCase() === 'ssml') return `[SSML] ${content}`;
    return `[audio] ${content}`;
  }
  if (/^https?:\/\//i.test(part)) return `[audio] ${part}`;
  return `[prompt] ${part}`;
}
