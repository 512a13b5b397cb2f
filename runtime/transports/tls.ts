/**
 * Local terminals present a certificate from Adyen's terminal root CA whose name never matches the
 * IP we connect to, so instead of the host name check we check its CN (docs/protocol.md "Endpoints").
 */
import type { PeerCertificate } from "node:tls";

/** `V400m-324688179.test.terminal.adyen.com` or `legacy-terminal-certificate.live.terminal.adyen.com`. */
export const TERMINAL_CN_PATTERN =
  /^(([a-zA-Z0-9]+-[a-zA-Z0-9]+)|legacy-terminal-certificate)\.(live|test)\.terminal\.adyen\.com$/;

/** A `checkServerIdentity` for https.Agent: undefined when the CN is a terminal's, an Error otherwise. */
export function checkTerminalCertificate(_host: string, cert: PeerCertificate): Error | undefined {
  const cn = cert?.subject?.CN as string | string[] | undefined;
  const names = Array.isArray(cn) ? cn : cn ? [cn] : [];
  if (names.some((name) => TERMINAL_CN_PATTERN.test(name))) return undefined;
  const error = new Error(
    `certificate CN ${names.length ? names.map((n) => JSON.stringify(n)).join(", ") : "(none)"} is not an Adyen terminal's`,
  );
  (error as Error & { code: string }).code = "ERR_TLS_CERT_ALTNAME_INVALID";
  return error;
}
