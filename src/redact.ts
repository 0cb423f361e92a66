/**
 * Keeping personal data out of logs: email addresses and Unique Learner Numbers are masked in any
 * text that goes to a log line (error messages, SMTP replies, request paths). Names never reach a
 * log: the request serializer logs method, path and id only, and bodies are never logged.
 */
const EMAIL = /[^\s<>"'(),;:[\]]+@[^\s<>"'(),;:[\]]+/g;
const ULN = /(?<!\d)[1-9]\d{9}(?!\d)/g;

/** The text with email addresses and ULNs masked, cut to `max` characters. */
export function withoutPersonalData(text: string, max = 2000): string {
  return text.replace(EMAIL, '<email>').replace(ULN, '<uln>').slice(0, max);
}

/** A request URL fit for a log: the path with ULNs masked, and only the names of query parameters. */
export function loggableUrl(url: string): string {
  const [pathPart = '', query] = url.split('?', 2);
  const keys = query ? [...new URLSearchParams(query).keys()] : [];
  return (
    withoutPersonalData(pathPart, 300) + (keys.length ? `?${keys.map((k) => `${withoutPersonalData(k, 50)}=…`).join('&')}` : '')
  );
}
