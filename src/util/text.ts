// Cutting text by characters without splitting one: in UTF-16 a character outside the Basic
// Multilingual Plane (an emoji, say) is two code units, and a cut between them leaves half a
// character that shows as garbage and is not valid Unicode. Pure: host, providers, client and the
// run details page all cut text this way.

/** The first `chars` UTF-16 units of a text, one fewer when the last would be half a surrogate pair (a slice: a view of `text`). */
export function textStart(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const last = text.charCodeAt(chars - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? chars - 1 : chars);
}
