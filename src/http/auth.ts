/**
 * The `Authorization` header that carries a marimo server's token.
 *
 * Basic, not Bearer: every marimo release reads the token from the password of a Basic header
 * (any non-empty user name), while 0.21.x answers Bearer with 401 (0.22.5 and later accept
 * both). marimo stores the user name in its session cookie and never reads it back.
 */

/** The user name sent with the token; marimo requires one but does not use it. */
const USER = "marimo-pair";

/** `Basic base64("marimo-pair:" + token)`, the token's UTF-8 bytes encoded as marimo decodes them. */
export function authorizationHeader(token: string): string {
  const bytes = new TextEncoder().encode(`${USER}:${token}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}
