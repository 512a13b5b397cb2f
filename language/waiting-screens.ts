/**
 * A session's waiting screens as both front ends read them: one screen a request type, the first
 * one written kept when a type is listed twice, in the order of REQUEST_TYPES.
 */
import { REQUEST_TYPES, type RequestType, type Span, type WaitingScreen } from "./ast.js";
import type { DiagnosticCode } from "./diagnostic.js";

type Report = (code: DiagnosticCode, message: string, span: Span, hint?: string) => void;

export function distinctWaitingScreens(screens: readonly WaitingScreen[], report: Report): WaitingScreen[] {
  const seen = new Set<RequestType>();
  for (const screen of screens) {
    if (seen.has(screen.request))
      report(
        "duplicate-request-type",
        `\`${screen.request}\` is listed twice`,
        screen.span,
        "give each request type one waiting screen",
      );
    seen.add(screen.request);
  }
  return REQUEST_TYPES.flatMap((request) => {
    const first = screens.find((s) => s.request === request);
    return first ? [first] : [];
  });
}
