// Redaction of secrets from anything written to the log or shown in an error (pure: unit-tested).

// One registry per extension: the entry bundle owns it and hands it to the services bundle
// (host/servicesBundle.ts), which adopts it, so a credential read there is redacted in the
// entry's log and notifications too.
let knownSecrets = new Set<string>();

/** The set this copy of the module redacts with (the entry passes it to the services bundle). */
export function secretRegistry(): Set<string> {
  return knownSecrets;
}

/** Makes this copy of the module share another copy's registry, keeping what it had already. */
export function adoptSecretRegistry(shared: Set<string>): void {
  for (const secret of knownSecrets) shared.add(secret);
  knownSecrets = shared;
}

/** Registers a credential so that it never reaches the log, even inside an error text. */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 4) knownSecrets.add(secret);
}

const secretPatterns: RegExp[] = [
  /(bearer\s+)([A-Za-z0-9._~+/=-]{6,})/gi,
  /(api-token[:=]\s*)\S+/gi,
  /(client_secret=)[^&\s]+/gi,
  /(basic\s+)([A-Za-z0-9+/=]{6,})/gi,
  // Dify keys are "app-" and a long run of letters and digits. Names such as "app-marketing" or
  // "billing-app-prod" share the prefix, so the shape is strict: 16+ alphanumerics with a digit,
  // not inside a longer hyphenated word. The user's own key is also registered and masked exactly.
  /(?<![\w-])(app-)((?=[A-Za-z]*\d)[A-Za-z0-9]{16,})(?![\w-])/g,
  // "b3sk_" is specific to B3OS keys; nothing else is named like that.
  /(?<![\w-])(b3sk_)[A-Za-z0-9_-]{4,}/g,
];

/** A word of prose ("Basic authentication", "bearer tokens"), not an encoded credential. */
const proseWord = /^[A-Za-z][a-z]*$/;

/**
 * Only the credentials this window registered, masked exactly: for data written to disk (run
 * history), where a platform that echoes a key back in an output must not make it persistent, but
 * key-shaped user data is left alone.
 */
export function maskKnownSecrets(text: string): string {
  let result = text;
  for (const secret of knownSecrets) if (result.includes(secret)) result = result.split(secret).join('***');
  return result;
}

export function redact(text: string): string {
  let result = maskKnownSecrets(text);
  for (const pattern of secretPatterns) {
    result = result.replace(pattern, (match, prefix: string, token: unknown) =>
      typeof token === 'string' && proseWord.test(token) ? match : `${prefix}***`,
    );
  }
  return result;
}


/**
 * Text from platforms shown in a notification: redacted, and with Markdown link syntax broken up,
 * because notifications turn `[label](command:…)` into a clickable link.
 */
export function forNotification(text: string): string {
  return redact(text).replace(/\]\s*\(/g, '] (');
}
