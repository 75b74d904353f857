// XML 1.0 escaping for the JUnit reporter. Test names and messages come from users' files and from
// platform outputs, so they may hold anything: markup characters, line breaks, and characters XML
// 1.0 cannot carry at all, not even as &#…; references (control characters, lone surrogates).

// Characters outside XML 1.0's Char production. They are written as visible `\u0001` text instead,
// so a report stays well-formed and still shows that something was there.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const notXmlChar = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function replaceNonXmlChars(text: string): string {
  return text.replace(notXmlChar, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Element text. `\r` is a reference because parsers turn a raw one into `\n`. */
export function escapeXmlText(text: string): string {
  return replaceNonXmlChars(text).replace(/[&<>\r]/g, (char) => textEntities[char]);
}

/** An attribute value in double quotes. Tabs and line breaks are references: parsers turn raw ones into spaces. */
export function escapeXmlAttribute(text: string): string {
  return replaceNonXmlChars(text).replace(/[&<>"'\t\n\r]/g, (char) => attributeEntities[char]);
}

const textEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const attributeEntities: Record<string, string> = { ...textEntities, '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;' };
