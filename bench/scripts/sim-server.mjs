// A simulator over loopback HTTP for the runtime's rows: prints its URL on a line of its own and
// serves until killed. ServiceID checks are off, so the two sides of a row may send the same requests.
import { createSimulator } from "../../dist/simulator/index.js";

const sim = createSimulator({ uniqueServiceIds: false });
const server = await sim.listen({ port: 0 });
process.stdout.write(`${server.url}\n`);
