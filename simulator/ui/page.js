// The virtual-terminal page: one card per POIID drawn like a terminal, live from the simulator's
// event stream (/__termflow/events, server-sent events), with its timeline and request log. A
// person's clicks go to the control API (the same calls any POS test can make). lit-html renders;
// everything else here is the page's own logic.
import { html, nothing, render } from "lit-html";

const API = "/__termflow";
/** poiid -> { state, timeline, requests } */
const terminals = new Map();
/** poiid -> what a person has typed or picked on that terminal (not the simulator's business). */
const local = new Map();
/** Server clock minus browser clock, so countdowns follow the simulator's time. */
let offset = 0;

const serverNow = () => Date.now() + offset;
const localOf = (poiid) => {
  if (!local.has(poiid)) local.set(poiid, { entry: "", brand: "mc", reason: "210 Not enough balance|Refusal" });
  return local.get(poiid);
};

const DECLINES = [
  ["210 Not enough balance", "Refusal"],
  ["199 Card blocked", "Refusal"],
  ["228 Card expired", "Refusal"],
  ["214 Declined online", "Refusal"],
  ["214 Declined online", "InvalidCard"],
  ["129 Invalid online PIN", "WrongPIN"],
];
const BRANDS = [
  ["mc", "Mastercard"],
  ["visa", "Visa"],
  ["amex", "American Express"],
  ["maestro", "Maestro"],
];

function terminal(poiid) {
  if (!terminals.has(poiid)) terminals.set(poiid, { state: undefined, timeline: [], requests: [] });
  return terminals.get(poiid);
}

// ---- talking to the simulator ------------------------------------------------------------------

async function call(poiid, path, body) {
  const status = document.getElementById("status");
  try {
    const response = await fetch(`${API}/terminals/${encodeURIComponent(poiid)}/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body ?? {}),
    });
    if (!response.ok) {
      const answer = await response.json().catch(() => ({}));
      status.textContent = `${poiid}: ${(answer.errors ?? [response.statusText]).join("; ")}`;
    }
  } catch (error) {
    status.textContent = `${poiid}: ${error.message}`;
  }
}

const respond = (poiid, answer) => {
  localOf(poiid).entry = "";
  return call(poiid, "shopper/respond", { answer });
};

function connect() {
  const status = document.getElementById("status");
  const events = new EventSource(`${API}/events`);
  const on = (type, handle) =>
    events.addEventListener(type, (e) => {
      handle(JSON.parse(e.data));
      // Drawn at once, not at the next frame: every screen the terminal shows reaches the page,
      // even a waiting screen the next request ends a few milliseconds later.
      draw();
    });
  on("hello", (data) => {
    terminals.clear();
    for (const t of data.terminals) {
      terminals.set(t.state.poiid, { state: t.state, timeline: t.timeline, requests: t.requests });
      offset = t.state.now - Date.now();
    }
    status.textContent = `Live: ${data.terminals.length} terminal${data.terminals.length === 1 ? "" : "s"}`;
  });
  on("state", (e) => {
    offset = e.state.now - Date.now();
    const t = terminal(e.poiid);
    // A terminal born after the hello: its first screen (idle, started) came with it, not as a change.
    if (!t.state && t.timeline.length === 0) t.timeline.push(e.state.screen);
    t.state = e.state;
  });
  on("screen", (e) => terminal(e.poiid).timeline.push(e.event));
  on("request", (e) => terminal(e.poiid).requests.push(e.entry));
  on("answer", (e) => {
    const list = terminal(e.poiid).requests;
    const i = list.findLastIndex(
      (r) => r.at === e.entry.at && r.serviceId === e.entry.serviceId && r.body === e.entry.body && !r.outcome,
    );
    if (i >= 0) list[i] = e.entry;
    else list.push(e.entry);
  });
  on("reset", (e) => {
    const t = terminal(e.poiid);
    t.timeline = [];
    t.requests = [];
  });
  events.onerror = () => {
    status.textContent = "Disconnected from the simulator; reconnecting…";
  };
  events.onopen = () => {
    status.textContent = "Live";
  };
}

// ---- drawing -----------------------------------------------------------------------------------

let queued = false;
function schedule() {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    draw();
  });
}

const seconds = (ms) => `${Math.max(0, Math.ceil(ms / 1000))} s`;
const money = (amount, currency) =>
  `${currency} ${Number(amount).toLocaleString("en", { minimumFractionDigits: currency === "JPY" ? 0 : 2 })}`;

/**
 * What a payment screen asks for: the total the card is charged, tip included (a terminal asks for
 * one sum), and the tip in it, as the timeline's askedToPay writes it. Wire amounts are major units;
 * the sum is rounded to 3 decimals, the most any currency has, so no float dust shows.
 */
function askedToPay(amount, tip, currency) {
  if (!tip) return { total: money(amount, currency), tip: "", text: money(amount, currency) };
  const total = money(Math.round((amount + tip) * 1000) / 1000, currency);
  const tipText = `incl. tip ${money(tip, currency)}`;
  return { total, tip: tipText, text: `${total} (${tipText})` };
}

function countdown(label, until) {
  if (until === undefined) return nothing;
  const left = until - serverNow();
  return html`<p class="countdown" aria-label="${label}: ${seconds(left)} left">${label} ${seconds(left)}</p>`;
}

function keypad(poiid, { digits, onOk, onCancel, onClear }) {
  const key = (label, handler, cls = "", name = label) =>
    html`<button type="button" class="key ${cls}" aria-label=${name} ?disabled=${!handler} @click=${handler}>
      ${label}
    </button>`;
  const type = (d) =>
    digits
      ? () => {
          localOf(poiid).entry += d;
          schedule();
        }
      : undefined;
  return html`<div class="keypad" role="group" aria-label="Keypad of ${poiid}">
    ${["1", "2", "3", "4", "5", "6", "7", "8", "9"].map((d) => key(d, type(d)))} ${key("*", undefined)}
    ${key("0", type("0"))} ${key("#", undefined)} ${key("✕", onCancel, "cancel", "Cancel")}
    ${key("‹", onClear, "clear", "Clear")} ${key("✓", onOk, "ok", "OK")}
  </div>`;
}

function inputScreen(poiid, waiting) {
  const s = waiting.screen;
  const title = s.prompt || s.texts[0] || "";
  const entry = localOf(poiid).entry;
  const cancel = () => respond(poiid, { cancel: true });
  const people = waiting.manual
    ? nothing
    : html`<p class="hint">Automatic shopper answers ${seconds((waiting.answerAt ?? serverNow()) - serverNow())}</p>`;
  const typed = (kind) => {
    // Read at the moment of OK, not at the last drawing: the person may have typed since.
    const value = localOf(poiid).entry || s.defaultInput || "";
    if (kind === "amount") return { amount: value };
    if (kind === "text") return { text: value };
    return { digits: value };
  };
  let body;
  let pad = { digits: false, onCancel: cancel };
  switch (s.kind) {
    case "confirmation":
    case "signature":
    case "anykey": {
      const no = s.texts[2] || "No";
      const yes = s.texts[3] || (s.kind === "signature" ? "Confirm signature" : "Yes");
      body = html`${s.kind === "signature" ? html`<div class="signature" aria-label="Signature box">✍ Sign here</div>` : nothing}
        ${s.texts[1] && s.kind !== "signature" ? html`<p class="body">${s.texts[1]}</p>` : nothing}
        <div class="choices">
          <button type="button" class="choice no" @click=${() => respond(poiid, { confirm: false })}>${no}</button>
          <button type="button" class="choice yes" @click=${() => respond(poiid, { confirm: true })}>${yes}</button>
        </div>`;
      pad = { digits: false, onCancel: cancel, onOk: () => respond(poiid, { confirm: true }) };
      break;
    }
    case "menu":
      body = html`<ul class="menu" aria-label="Menu">
        ${(s.menu ?? []).map(
          (label, i) =>
            html`<li><button type="button" class="choice" @click=${() => respond(poiid, { select: i + 1 })}>
              ${label}
            </button></li>`,
        )}
      </ul>`;
      break;
    case "rating":
      body = html`<div class="choices" role="group" aria-label="Rating">
        ${[1, 2, 3, 4, 5].map(
          (n) =>
            html`<button type="button" class="choice" aria-label="${n} of 5" @click=${() => respond(poiid, { digits: String(n) })}>
              ${"★".repeat(n)}
            </button>`,
        )}
      </div>`;
      break;
    case "scan":
      body = html`<p class="big" aria-hidden="true">▥</p>`;
      break;
    default: {
      const kind =
        s.kind === "amount" ? "amount" : s.kind === "text" || s.inputCommand === "TextString" ? "text" : "digits";
      const submit = () => respond(poiid, typed(kind));
      body = html`<form class="entry" @submit=${(e) => {
        e.preventDefault();
        submit();
      }}>
        <input
          aria-label=${title || "Your answer"}
          inputmode=${kind === "text" ? "text" : "decimal"}
          .value=${entry}
          placeholder=${s.defaultInput ?? ""}
          @input=${(e) => {
            localOf(poiid).entry = e.target.value;
          }}
        />
      </form>`;
      pad = {
        digits: kind !== "text",
        onCancel: cancel,
        onOk: submit,
        onClear: () => {
          localOf(poiid).entry = localOf(poiid).entry.slice(0, -1);
          schedule();
        },
      };
    }
  }
  return {
    kind: `input input-${s.kind}`,
    label: `Input screen: ${title}`,
    content: html`<h3 class="title">${title}</h3>
      ${body} ${countdown("Time left", waiting.deadline)} ${people}`,
    pad,
  };
}

function cardScreen(poiid, waiting) {
  const mine = localOf(poiid);
  const asked = askedToPay(waiting.amount, waiting.tip, waiting.currency);
  // The automatic shopper presents the card halfway through the payment time.
  const authorising =
    waiting.for === "authorisation" ||
    (!waiting.manual && waiting.endsAt !== undefined && serverNow() >= (waiting.since + waiting.endsAt) / 2);
  if (authorising)
    return {
      kind: "authorising",
      label: `Payment of ${asked.text}: authorising`,
      content: html`<p class="amount">${asked.total}</p>
        ${asked.tip ? html`<p class="hint">${asked.tip}</p>` : nothing}
        <div class="spinner" aria-hidden="true"></div>
        <h3 class="title">Authorising…</h3>
        <p class="hint">${BRANDS.find(([b]) => b === (waiting.brand ?? "mc"))?.[1] ?? ""} card read</p>`,
      pad: { digits: false },
    };
  const cancel = () => call(poiid, "payments/respond", { outcome: "cancel" });
  return {
    kind: "card",
    label: `Payment of ${asked.text}: present card`,
    content: html`<p class="amount">${asked.total}</p>
      ${asked.tip ? html`<p class="hint">${asked.tip}</p>` : nothing}
      <div class="contactless" aria-hidden="true">)))</div>
      <h3 class="title">Present card</h3>
      <div class="card-actions">
        <label>Brand
          <select
            .value=${mine.brand}
            @change=${(e) => {
              mine.brand = e.target.value;
            }}
          >
            ${BRANDS.map(([value, name]) => html`<option value=${value} ?selected=${value === mine.brand}>${name}</option>`)}
          </select>
        </label>
        <button type="button" class="choice yes" @click=${() => call(poiid, "payments/present", { brand: mine.brand })}>
          Present card
        </button>
        <label>Decline reason
          <select
            @change=${(e) => {
              mine.reason = e.target.value;
            }}
          >
            ${DECLINES.map(
              ([r, c]) => html`<option value="${r}|${c}" ?selected=${`${r}|${c}` === mine.reason}>${c}: ${r}</option>`,
            )}
          </select>
        </label>
        <button
          type="button"
          class="choice no"
          @click=${() => {
            const [reason, condition] = mine.reason.split("|");
            call(poiid, "payments/respond", {
              outcome: { outcome: "decline", errorCondition: condition, reason },
              brand: mine.brand,
            });
          }}
        >
          Decline card
        </button>
      </div>
      ${countdown("Payment times out in", waiting.deadline)}
      ${waiting.manual ? nothing : html`<p class="hint">Automatic shopper presents a card</p>`}`,
    pad: { digits: false, onCancel: cancel },
  };
}

function screenView(poiid, t) {
  const state = t.state;
  const waiting = state.waiting;
  if (waiting?.for === "input") return inputScreen(poiid, waiting);
  if (waiting) return cardScreen(poiid, waiting);
  const s = state.screen;
  switch (s.screen) {
    case "display":
      return {
        kind: "display",
        label: `Display: ${s.texts.join(" ")}`,
        content: html`${s.texts.map((line, i) => (i === 0 ? html`<h3 class="title">${line}</h3>` : html`<p>${line}</p>`))}`,
      };
    case "result": {
      // A partial approval is approved, with a warning of how much was paid out of the amount.
      if (s.result === "Partial")
        return {
          kind: "result approved partial",
          label: `Payment partly approved: ${s.partly?.paid ?? ""} of ${s.partly?.asked ?? ""}`,
          content: html`<p class="big" aria-hidden="true">!</p>
            <h3 class="title">Approved ${s.partly?.paid ?? ""}</h3>
            <p>of ${s.partly?.asked ?? ""}: the rest is not paid</p>`,
        };
      const approved = s.result === "Success";
      return {
        kind: approved ? "result approved" : "result declined",
        label: approved ? "Payment approved" : `Payment not approved: ${s.errorCondition ?? s.result}`,
        content: html`<p class="big" aria-hidden="true">${approved ? "✓" : "✕"}</p>
          <h3 class="title">${approved ? "Approved" : "Declined"}</h3>
          ${approved ? nothing : html`<p>${s.errorCondition ?? ""}</p>`}`,
      };
    }
    case "waiting":
      return {
        kind: "waiting",
        label: "Waiting screen",
        content: html`<div class="dots" aria-hidden="true"><span></span><span></span><span></span></div>
          <h3 class="title">Please wait</h3>
          <p class="hint">Waiting screen after ${s.after} · session ${s.sessionId}</p>
          ${countdown("Waiting screen ends in", s.at + s.timeoutMs)}`,
      };
    case "payment": {
      const asked = askedToPay(s.amount, s.tip, s.currency);
      return {
        kind: "card",
        label: "Payment",
        content: html`<p class="amount">${asked.total}</p>
          ${asked.tip ? html`<p class="hint">${asked.tip}</p>` : nothing}`,
      };
    }
    case "acquisition":
      return { kind: "card", label: "Card acquisition", content: html`<h3 class="title">Present your card</h3>` };
    case "input":
      return { kind: "input", label: `Input: ${s.prompt}`, content: html`<h3 class="title">${s.prompt}</h3>` };
    default:
      return {
        kind: "idle",
        label: "Idle",
        content: html`<p class="logo" aria-hidden="true">termflow</p>
          <h3 class="title">Welcome</h3>
          <p class="hint">${new Date(serverNow()).toLocaleTimeString("en-GB")}</p>`,
      };
  }
}

function describeEvent(e) {
  switch (e.screen) {
    case "idle":
      return `idle (${e.reason})`;
    case "input":
      return `input ${e.kind} "${e.prompt}"`;
    case "display":
      return `display "${e.text.replace(/\n/g, " / ")}"`;
    case "payment":
      return `payment ${askedToPay(e.amount, e.tip, e.currency).text}`;
    case "acquisition":
      return "card acquisition";
    case "result":
      return `result ${e.result}${e.errorCondition ? ` / ${e.errorCondition}` : ""}${e.partly ? ` ${e.partly.paid} of ${e.partly.asked}` : ""}`;
    case "waiting":
      return `waiting ${e.timeoutMs} ms after ${e.after}`;
    default:
      return e.screen;
  }
}

const clock = (at) => new Date(at).toISOString().slice(11, 23);
const pretty = (value) => JSON.stringify(value, null, 2);

/** The AdminRequest's ServiceIdentification, decoded from Base64 JSON (UTF-8). */
function serviceIdentification(request) {
  const text = request?.SaleToPOIRequest?.AdminRequest?.ServiceIdentification;
  if (typeof text !== "string") return undefined;
  try {
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return "(not Base64 JSON)";
  }
}

/** A partial approval took money (less than asked): neither a success nor a failure, so neither colour. */
function outcomeClass(outcome) {
  if (outcome === undefined) return "";
  if (/^Success|^empty/.test(outcome)) return "good";
  return /^Partial/.test(outcome) ? "partial" : "bad";
}

function requestRow(r) {
  const decoded = serviceIdentification(r.request);
  const took = r.answeredAt !== undefined ? ` · ${r.answeredAt - r.at} ms` : "";
  return html`<li>
    <details>
      <summary>
        <span class="when">${clock(r.at)}</span> <span class="what">${r.body}${r.session ? ` ${r.session.type} ${r.session.id}` : ""}</span>
        <span class="sid">${r.serviceId ?? ""}</span>
        <span class="outcome ${outcomeClass(r.outcome)}">${r.outcome ?? "waiting…"}${took}</span>
      </summary>
      <h4>Request</h4>
      <pre>${pretty(r.request)}</pre>
      ${decoded === undefined ? nothing : html`<h4>ServiceIdentification (decoded)</h4><pre>${pretty(decoded)}</pre>`}
      ${r.response === undefined ? nothing : html`<h4>Answer</h4><pre>${pretty(r.response)}</pre>`}
    </details>
  </li>`;
}

function card(poiid, t) {
  const view = screenView(poiid, t);
  const pad = view.pad ?? { digits: false };
  const id = `t-${poiid.replace(/[^A-Za-z0-9-]/g, "_")}`;
  const first = t.timeline[0]?.at ?? 0;
  return html`<section class="terminal" aria-labelledby=${id} data-poiid=${poiid}>
    <div class="device">
      <div class="bezel">
        <span class="model">${poiid.split("-")[0]}</span>
        <div class="screen ${view.kind}" role="region" aria-label="Screen of ${poiid}: ${view.label}" aria-live="polite">
          ${view.content}
        </div>
        ${keypad(poiid, pad)}
      </div>
    </div>
    <div class="side">
      <h2 id=${id}>${poiid}</h2>
      <label class="manual">
        <input
          type="checkbox"
          .checked=${t.state.manual}
          @change=${(e) => call(poiid, "shopper/manual", { on: e.target.checked })}
        />
        Manual shopper (inputs and payments wait for you)
      </label>
      <p class="session">${t.state.session ? `Session ${t.state.session.id} open` : "No session open"}</p>
      <details class="timeline" open>
        <summary><h3>Timeline</h3></summary>
        <ol aria-label="Timeline of ${poiid}">
          ${t.timeline
            .slice(-200)
            .map(
              (e) =>
                html`<li class="ev ev-${e.screen}"><span class="when">+${((e.at - first) / 1000).toFixed(3)} s</span> ${describeEvent(e)}</li>`,
            )}
        </ol>
      </details>
      <details class="requests" open>
        <summary><h3>Requests and answers</h3></summary>
        <ol aria-label="Requests of ${poiid}">${t.requests.slice(-200).map(requestRow)}</ol>
      </details>
    </div>
  </section>`;
}

function draw() {
  const main = document.getElementById("terminals");
  const shown = [...terminals.entries()].filter(([, t]) => t.state);
  render(
    shown.length === 0
      ? html`<p class="empty">No terminal yet: send a request (or a control call) for a POIID and its terminal appears here.</p>`
      : shown.map(([poiid, t]) => card(poiid, t)),
    main,
  );
}

// Countdowns move with the clock; the data itself only ever arrives pushed.
setInterval(() => {
  if ([...terminals.values()].some((t) => t.state?.waiting || t.state?.screen.screen === "waiting")) schedule();
}, 250);

connect();
draw();
