// Rows of the runtime: what `runFlow` adds to a terminal round trip. Each runs one flow of 1000
// displays (one request each) and sets it against the least code that sends the same requests: a
// loop handing them to the simulator in-process, a node-fetch keep-alive loop over loopback HTTP,
// and Adyen's own library (@adyen/api-library's TerminalCloudAPI) on a keep-alive node:http client.
// Over HTTP both sides talk to one simulator in a process of its own (bench/scripts/sim-server.mjs).
import { spawn } from "node:child_process";
import { Agent, request as httpRequest } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as adyenModule from "@adyen/api-library";
import fetch from "node-fetch";

const DISPLAYS = 1000;
const POIID = "V400m-324688179";

const dist = (root, path) => import(pathToFileURL(join(root, "dist", path)).href);

/** The flow: 1000 displays, nothing else (every step is one request and its answer). */
async function displayFlow(root) {
  const { loadFlow } = await dist(root, "language/index.js");
  const lines = ['flow "Displays"'];
  for (let i = 0; i < DISPLAYS; i++) lines.push(`display "Line ${i}"`);
  const loaded = loadFlow(`${lines.join("\n")}\n`, "displays.flow");
  if (!loaded.flow || loaded.diagnostics.some((d) => d.severity === "error"))
    throw new Error(`the display flow does not load: ${loaded.diagnostics[0]?.message}`);
  return loaded.flow;
}

/** Runs the flow once and returns the requests it sent (what the baselines send too). */
async function requestsOf(runtime, simulator, flow) {
  const sent = [];
  const sim = simulator.createSimulator({ clock: new runtime.VirtualClock({ auto: true }) });
  const result = await runtime.runFlow(flow, {
    terminal: sim,
    clock: new runtime.VirtualClock({ auto: true }),
    poiid: POIID,
    seed: 1,
    on: { request: (e) => sent.push(e.message) },
  });
  if (result.status !== "passed") throw new Error(`the display flow ${result.status}`);
  return sent;
}

/** A simulator of its own over loopback HTTP; resolves to its URL and a way to stop it. */
async function simulatorProcess(root) {
  const child = spawn(process.execPath, [join(root, "bench", "scripts", "sim-server.mjs")], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /^(http:\/\/\S+)$/m.exec(out);
      if (match) {
        child.stdout.destroy();
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`sim-server exited ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

/** Every run gets ServiceIDs of its own: a seed per run. */
let runs = 0;

async function runOverHttp(s) {
  const result = await s.runtime.runFlow(s.flow, {
    terminal: s.transport,
    poiid: POIID,
    seed: `bench-${++runs}`,
  });
  if (result.status !== "passed") throw new Error(`runFlow over HTTP ${result.status}`);
}

/** The row's process ends when its rounds do: nothing of it may stay open. */
async function stop(s) {
  s.server.stop();
  await s.transport.close?.();
  s.agent?.destroy();
  s.adyenHttp?.agent?.destroy();
}

/** Client CPU (user + system) a request of `run` (1000 requests a call), median of 3 calls. */
async function cpuPerRequest(run, s) {
  const samples = [];
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    await run(s);
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / DISPLAYS);
  }
  return samples.sort((x, y) => x - y)[1];
}

/** The plain node-fetch keep-alive loop: the least any client on node-fetch does for these requests. */
async function nodeFetchLoop(s) {
  for (const body of s.bodies) {
    const response = await fetch(`${s.server.url}/sync`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json" },
      agent: s.agent,
    });
    JSON.parse(await response.text());
  }
}

// CommonJS: depending on the loader the classes sit on the namespace or on its default export.
const adyen = adyenModule.default ?? adyenModule;

/** Adyen's HttpClient interface over node:http with a keep-alive agent. */
class KeepAliveHttpClient {
  agent = new Agent({ keepAlive: true });
  request(endpoint, json) {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        endpoint,
        { method: "POST", agent: this.agent, headers: { "content-type": "application/json" } },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk) => (body += chunk));
          res.on("end", () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))));
        },
      );
      req.on("error", reject);
      req.end(json);
    });
  }
}

export const rows = [
  {
    id: "runflow-in-process",
    what: "runFlow in-process (1000 displays, virtual clock) / a loop handing the same requests to `sim.handle`",
    kind: "in-process",
    goal: { max: 1.3 },
    rounds: { full: 15, quick: 4 },
    warmup: 3,
    async setup({ root }) {
      const [runtime, simulator, flow] = await Promise.all([
        dist(root, "runtime/index.js"),
        dist(root, "simulator/index.js"),
        displayFlow(root),
      ]);
      return { runtime, simulator, flow, requests: await requestsOf(runtime, simulator, flow) };
    },
    a: {
      label: "runFlow",
      per: DISPLAYS,
      async run(s) {
        const clock = new s.runtime.VirtualClock({ auto: true });
        const sim = s.simulator.createSimulator({ clock });
        const result = await s.runtime.runFlow(s.flow, { terminal: sim, clock, poiid: POIID, seed: 1 });
        if (result.status !== "passed") throw new Error(`runFlow ${result.status}`);
      },
    },
    b: {
      label: "sim.handle loop",
      per: DISPLAYS,
      async run(s) {
        const sim = s.simulator.createSimulator({ clock: new s.runtime.VirtualClock({ auto: true }) });
        for (const request of s.requests) {
          const answer = await sim.handle(request);
          JSON.parse(answer.body);
        }
      },
    },
  },
  {
    id: "runflow-http",
    what: "runFlow over loopback HTTP (1000 displays) / a plain node-fetch keep-alive loop posting the same bodies",
    kind: "in-process",
    goal: { max: 1.1 },
    rounds: { full: 11, quick: 3 },
    warmup: 2,
    async setup({ root }) {
      const [runtime, simulator, flow] = await Promise.all([
        dist(root, "runtime/index.js"),
        dist(root, "simulator/index.js"),
        displayFlow(root),
      ]);
      const server = await simulatorProcess(root);
      return {
        runtime,
        flow,
        server,
        transport: runtime.cloudTransport({ endpoint: server.url }),
        bodies: (await requestsOf(runtime, simulator, flow)).map((r) => JSON.stringify(r)),
        agent: new Agent({ keepAlive: true }),
      };
    },
    a: { label: "runFlow", per: DISPLAYS, run: runOverHttp },
    b: { label: "node-fetch loop", per: DISPLAYS, run: nodeFetchLoop },
    details: async (s) => {
      // The transport alone (serialising each request and posting it, no runtime around it) splits
      // the runtime's extra into what the HTTP client costs and what the steps around it cost.
      const requests = s.bodies.map((body) => JSON.parse(body));
      const transportLoop = async () => {
        for (const request of requests) await s.transport.send(request, { timeoutMs: 30_000 });
      };
      const [runtimeCpu, sendCpu, loopCpu] = [
        await cpuPerRequest(runOverHttp, s),
        await cpuPerRequest(transportLoop, s),
        await cpuPerRequest(nodeFetchLoop, s),
      ];
      await stop(s);
      return [
        "ms a request; one simulator in a process of its own serves both sides (ServiceID checks off: both resend)",
        `client CPU a request (median of 3 runs each, after the rounds): runFlow ${runtimeCpu.toFixed(0)} ` +
          `us, the node-fetch loop ${loopCpu.toFixed(0)} us: the runtime's own work is ` +
          `${(runtimeCpu - loopCpu).toFixed(0)} us a request`,
        `of which the transport (\`cloudTransport().send\` in a loop, serialising each request): ` +
          `${sendCpu.toFixed(0)} us a request, ${(sendCpu - loopCpu).toFixed(0)} us above the loop; the steps ` +
          `around it (envelope, ServiceID, timers on the run's clock, decoding, the message log): ` +
          `${(runtimeCpu - sendCpu).toFixed(0)} us`,
      ];
    },
  },
  {
    id: "runflow-vs-adyen",
    what: "runFlow over HTTP (1000 displays) / Adyen's @adyen/api-library TerminalCloudAPI on a keep-alive node:http client",
    kind: "in-process",
    goal: { max: 1 },
    rounds: { full: 11, quick: 3 },
    warmup: 2,
    async setup({ root }) {
      const [runtime, simulator, flow] = await Promise.all([
        dist(root, "runtime/index.js"),
        dist(root, "simulator/index.js"),
        displayFlow(root),
      ]);
      const server = await simulatorProcess(root);
      const client = new adyen.Client({ apiKey: "bench", environment: "TEST" }, new KeepAliveHttpClient());
      // The constructor sets Adyen's TEST endpoints; aim it at the simulator afterwards.
      client.config.terminalApiCloudEndpoint = server.url;
      return {
        runtime,
        flow,
        server,
        transport: runtime.cloudTransport({ endpoint: server.url }),
        requests: await requestsOf(runtime, simulator, flow),
        bodies: (await requestsOf(runtime, simulator, flow)).map((r) => JSON.stringify(r)),
        agent: new Agent({ keepAlive: true }),
        api: new adyen.TerminalCloudAPI(client),
        adyenHttp: client.httpClient,
      };
    },
    a: { label: "runFlow", per: DISPLAYS, run: runOverHttp },
    b: {
      label: "TerminalCloudAPI.sync",
      per: DISPLAYS,
      async run(s) {
        for (const request of s.requests) {
          const answer = await s.api.sync(request);
          if (!answer?.SaleToPOIResponse) throw new Error("Adyen's client got no answer");
        }
      },
    },
    details: async (s) => {
      // The floor under any client built on node-fetch, against Adyen's client on bare node:http.
      const adyenLoop = async () => {
        for (const request of s.requests) await s.api.sync(request);
      };
      const time = async (run) => {
        const start = performance.now();
        await run(s);
        return ((performance.now() - start) * 1000) / DISPLAYS;
      };
      const floor = [];
      for (let i = 0; i < 3; i++) floor.push((await time(nodeFetchLoop)) / (await time(adyenLoop)));
      const cpu = [
        await cpuPerRequest(runOverHttp, s),
        await cpuPerRequest(nodeFetchLoop, s),
        await cpuPerRequest(adyenLoop, s),
      ];
      await stop(s);
      return [
        "ms a request; both send the same requests to one simulator in a process of its own",
        `a plain node-fetch keep-alive loop posting the same bodies takes ` +
          `${floor.sort((x, y) => x - y)[1].toFixed(2)}x Adyen's client (median of 3 paired runs): the floor of ` +
          `any client on node-fetch`,
        `client CPU a request (median of 3 runs): runFlow ${cpu[0].toFixed(0)} us, node-fetch loop ` +
          `${cpu[1].toFixed(0)} us, TerminalCloudAPI ${cpu[2].toFixed(0)} us`,
      ];
    },
  },
];
