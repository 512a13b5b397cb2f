// The simulator under load: `termflow sim` (the bundled CLI, logging a line a request as users run
// it) against a bare node:http server that reads each body and answers a fixed JSON body, both in
// processes of their own, driven by autocannon with 64 connections from this process. Each round
// loads one server and then the other (alternating which goes first), for the same time.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import autocannon from "autocannon";

const CONNECTIONS = 64;
const TERMINALS = 64;

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/**
 * A display request for one of 64 terminals, with a ServiceID of its own. Made by joining strings
 * (a template split around the two fields that change): the load generator shares the machine with
 * the server it loads, so it must spend as little as it can.
 */
const TEMPLATE = JSON.stringify({
  SaleToPOIRequest: {
    MessageHeader: {
      ProtocolVersion: "3.0",
      MessageClass: "Device",
      MessageCategory: "Display",
      MessageType: "Request",
      ServiceID: "@SERVICE@",
      SaleID: "POS1",
      POIID: "@POIID@",
    },
    DisplayRequest: {
      DisplayOutput: [
        {
          Device: "CustomerDisplay",
          InfoQualify: "Display",
          OutputContent: { OutputFormat: "Text", OutputText: [{ Text: "Hello" }] },
        },
      ],
    },
  },
});
const [BEFORE_SERVICE, REST] = TEMPLATE.split("@SERVICE@");
const [BETWEEN, AFTER_POIID] = REST.split("@POIID@");
const POIIDS = Array.from({ length: TERMINALS }, (_, i) => `V400m-${100_000_000 + i}`);

function display(n) {
  return `${BEFORE_SERVICE}S${String(n).padStart(9, "0")}${BETWEEN}${POIIDS[n % TERMINALS]}${AFTER_POIID}`;
}

/** A server in a process of its own, ready once it answers. */
async function start(argv, port) {
  const child = spawn(process.execPath, argv, { stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; ; i++) {
    try {
      await (await fetch(`http://127.0.0.1:${port}/sync`, { method: "POST", body: display(0) })).text();
      return child;
    } catch (error) {
      if (i > 200 || child.exitCode !== null) throw new Error(`${argv.join(" ")} did not start: ${error.message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** CPU milliseconds a process has used (user + system), from /proc. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Peak resident memory of a process, MiB, from /proc. */
function peakMiB(pid) {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

let sent = 0;

/** Loads one server for `seconds`: requests a second, and its CPU microseconds a request. */
async function load(server, seconds) {
  const cpuBefore = cpuMs(server.child.pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/sync`,
    connections: CONNECTIONS,
    duration: seconds,
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: [{ setupRequest: (req) => ({ ...req, body: display(++sent) }) }],
  });
  if (result.errors || result.non2xx || result.timeouts)
    throw new Error(`${server.label}: ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`);
  return {
    rps: result.requests.total / seconds,
    cpuUs: ((cpuMs(server.child.pid) - cpuBefore) * 1000) / result.requests.total,
  };
}

const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

export const rows = [
  {
    id: "sim-load-64",
    what: "`termflow sim`, 64 connections / a bare node:http server answering a fixed JSON body (requests a second)",
    kind: "measure",
    goal: { min: 0.6 },
    async setup({ root }) {
      const [simPort, barePort, echoPort] = await Promise.all([freePort(), freePort(), freePort()]);
      const sim = {
        label: "termflow sim",
        port: simPort,
        child: await start([join(root, "dist", "termflow.mjs"), "sim", "--port", String(simPort)], simPort),
      };
      const bare = {
        label: "bare node:http",
        port: barePort,
        child: await start([join(root, "bench", "scripts", "bare-http.mjs"), String(barePort)], barePort),
      };
      const echo = {
        label: "node:http parsing and echoing",
        port: echoPort,
        child: await start([join(root, "bench", "scripts", "echo-http.mjs"), String(echoPort)], echoPort),
      };
      return { sim, bare, echo };
    },
    async measure({ sim, bare, echo }, { quick }) {
      const rounds = quick ? 3 : 7;
      const seconds = quick ? 3 : 5;
      try {
        // Warm both up, and fill the simulator's history to its budget first: the steady state of a
        // long-running `termflow sim` is a full history.
        await load(sim, quick ? 3 : 10);
        await load(bare, 2);
        await load(echo, 2);
        const runs = { sim: [], bare: [], echo: [] };
        const ratios = [];
        for (let i = 0; i < rounds; i++) {
          const order = i % 2 === 0 ? ["sim", "bare"] : ["bare", "sim"];
          const got = {};
          for (const side of order) got[side] = await load(side === "sim" ? sim : bare, seconds);
          runs.sim.push(got.sim);
          runs.bare.push(got.bare);
          ratios.push(got.sim.rps / got.bare.rps);
          // The floor every terminal pays (parse the request, write an answer echoing its header):
          // its CPU only, outside the ratio, after the pair so it does not change what they measure.
          runs.echo.push(await load(echo, seconds));
        }
        const rps = (side) => median(runs[side].map((r) => r.rps));
        const cpu = (side) => median(runs[side].map((r) => r.cpuUs));
        return {
          a: { label: "termflow sim", value: rps("sim"), unit: "requests/s" },
          b: { label: "bare node:http", value: rps("bare"), unit: "requests/s" },
          ratio: median(ratios),
          details: [
            `${rounds} rounds of ${seconds} s a server, ${CONNECTIONS} connections, display requests for ` +
              `${TERMINALS} terminals; ratio = median of the rounds' ratios`,
            `CPU a request (the server process's own): termflow sim ${cpu("sim").toFixed(0)} us, bare node:http ${cpu("bare").toFixed(0)} us`,
            `the job itself: a node:http server that JSON.parses each request and JSON.stringifies an answer echoing ` +
              `its MessageHeader (no termflow code) uses ${cpu("echo").toFixed(0)} us a request ` +
              `(${median(runs.echo.map((r) => r.rps)).toFixed(0)} requests/s)`,
            `termflow sim's peak resident memory after ${sent} requests in all: ` +
              `${peakMiB(sim.child.pid).toFixed(0)} MiB (its history is bounded: docs/reliability.md)`,
          ],
        };
      } finally {
        sim.child.kill("SIGINT");
        bare.child.kill();
        echo.child.kill();
      }
    },
  },
];
