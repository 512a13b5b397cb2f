/** `--dry-run`: the exact requests a run would send, for people (commented, pretty); tools get one per line. */
import type { SaleToPOIRequest } from "../../protocol/index.js";

/** One request and the step that sends it. */
export interface PlannedRequest {
  name: string;
  /** The step's label (`pay 25.00 EUR as first`), or a note for Begin/End/abort. */
  step: string;
  request: SaleToPOIRequest;
}

/** `# 3/9 InputRequest: input confirm "Split the bill?"` followed by the pretty JSON, per request. */
export function renderRequests(requests: readonly PlannedRequest[]): string {
  return requests
    .map((r, i) => `# ${i + 1}/${requests.length} ${r.name}: ${r.step}\n${JSON.stringify(r.request, null, 2)}\n`)
    .join("\n");
}
