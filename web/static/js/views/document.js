// Article view: the stored text with actor mentions, events, positions and quotes highlighted at
// their exact evidence spans (code-point offsets), a legend that toggles each kind, and the span
// named in the URL (#/document/ID?start=S&end=E) marked and scrolled to.
import {
  actorLink,
  docHref,
  errorBox,
  getJSON,
  getText,
  h,
  isHttpIri,
} from "../dom.js";
import { dateLabel } from "../dates.js";
import { codePoints, segments, slice } from "../spans.js";

const KINDS = [
  ["actor", "Actor mention"],
  ["event", "Event"],
  ["position", "Position"],
  ["quote", "Quote"],
];

async function settle(promise) {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

export async function documentsView() {
  const page = await getJSON("/documents", { limit: 500 });
  return {
    title: "Articles",
    node: h(
      "div",
      {},
      h("h1", {}, "Articles"),
      h(
        "table",
        { class: "documents" },
        h("thead", {}, h("tr", {}, ["Title", "Outlet", "Author", "Published", "Id"].map((c) => h("th", { scope: "col" }, c)))),
        h(
          "tbody",
          {},
          page.items.map((d) =>
            h(
              "tr",
              {},
              h("td", {}, h("a", { href: docHref(d.id) }, d.display_title || d.title || d.id)),
              h("td", {}, d.outlet || ""),
              h("td", {}, d.author || ""),
              h("td", {}, d.published || ""),
              h("td", {}, h("code", {}, d.id)),
            ),
          ),
        ),
      ),
    ),
  };
}

/** The article's own URL: a link when http(s), else its text (a javascript: URL links nowhere). */
function originalLink(url) {
  if (!isHttpIri(url)) return h("code", {}, url);
  return h("a", { href: url, rel: "external noopener", class: "external" }, "original");
}

export async function documentView(id, params) {
  const path = `/documents/${encodeURIComponent(id)}`;
  const [doc, text] = await Promise.all([getJSON(path), getText(`${path}/text`)]);
  const [events, positions, quotes, mentions] = await Promise.all([
    settle(getJSON("/events", { document: id, limit: 500 })),
    settle(getJSON("/positions", { document: id, limit: 500 })),
    settle(getJSON("/quotes", { document: id, limit: 500 })),
    settle(getJSON(`${path}/mentions`)),
  ]);
  const points = codePoints(text);
  const actors = new Map(doc.actors.map((a) => [a.id, a]));
  const problems = [];
  const annotations = [];
  const add = (kind, item, label) => {
    const ev = item.evidence;
    if (slice(points, ev.start, ev.end) !== ev.text) problems.push(`${kind} ${item.id}: its evidence text differs from the article at ${ev.start}–${ev.end}`);
    annotations.push({ kind, id: item.id, start: ev.start, end: ev.end, label });
  };
  for (const [result, what] of [[events, "Events"], [positions, "Positions"], [quotes, "Quotes"], [mentions, "Actor mentions"]]) {
    if (result.error) problems.push(errorBox(result.error, what).textContent);
  }
  for (const e of events.value?.items || []) add("event", e, `event: ${e.type}`);
  for (const p of positions.value?.items || []) add("position", p, `position: ${p.actor.name} ${p.summary}`);
  for (const q of quotes.value?.items || []) add("quote", q, `quote: ${q.speaker.name}`);
  for (const m of mentions.value || []) {
    const key = m.actor.id;
    annotations.push({ kind: "actor", id: m.iri, key, start: m.evidence.start, end: m.evidence.end, label: `actor: ${actors.get(key)?.name || m.actor.name}` });
  }
  const start = Number.parseInt(params.get("start") ?? "", 10);
  const end = Number.parseInt(params.get("end") ?? "", 10);
  const target = Number.isInteger(start) && Number.isInteger(end) && start < end && end <= points.length
    ? { kind: "target", id: "target", start, end, label: "the linked span" }
    : null;

  const body = h("div", { class: "doc-text", id: "doc-text" });
  for (const seg of segments(points.length, target ? [...annotations, target] : annotations)) {
    const piece = slice(points, seg.start, seg.end);
    if (seg.covering.length === 0) {
      body.append(piece);
      continue;
    }
    const kinds = new Set(seg.covering.map((a) => a.kind));
    body.append(
      h(
        "span",
        {
          class: ["hl", ...[...kinds].map((k) => `hl-${k}`)].join(" "),
          "data-ids": seg.covering.map((a) => a.id).join(" "),
          "data-start": seg.start,
          "data-end": seg.end,
          title: seg.covering.map((a) => a.label).join("\n"),
        },
        piece,
      ),
    );
  }

  const legend = h(
    "fieldset",
    { class: "legend" },
    h("legend", {}, "Highlights"),
    KINDS.map(([kind, label]) => {
      const count = annotations.filter((a) => a.kind === kind).length;
      const box = h("input", {
        type: "checkbox",
        id: `show-${kind}`,
        checked: true,
        onchange: () => body.classList.toggle(`hide-${kind}`, !box.checked),
      });
      return h("label", { for: `show-${kind}`, class: `key key-${kind}` }, box, h("span", { class: `hl hl-${kind}` }, label), ` (${count})`);
    }),
    target ? h("span", { class: "key" }, h("span", { class: "hl hl-target" }, "linked span")) : null,
  );

  const jump = (item) =>
    h("a", { href: docHref(id, item.evidence.start, item.evidence.end), class: "jump" }, "show in text");
  const lists = h(
    "div",
    { class: "doc-lists" },
    h(
      "section",
      { "aria-label": "Events" },
      h("h2", {}, "Events"),
      h(
        "ul",
        {},
        (events.value?.items || []).map((e) =>
          h(
            "li",
            {},
            h("span", { class: "badge event-type" }, e.type.replace("_", " ")),
            " ",
            e.participants.map((p, i) => [i ? ", " : "", actorLink(p), h("span", { class: "muted" }, ` (${p.role})`)]),
            e.date ? [" · ", h("time", { datetime: e.date.value }, dateLabel(e.date))] : null,
            " · ",
            jump(e),
          ),
        ),
      ),
    ),
    h(
      "section",
      { "aria-label": "Positions" },
      h("h2", {}, "Positions"),
      h(
        "ul",
        {},
        (positions.value?.items || []).map((p) =>
          h("li", {}, actorLink(p.actor), " ", h("span", { class: "summary" }, p.summary), " · ", jump(p)),
        ),
      ),
    ),
    h(
      "section",
      { "aria-label": "Quotes" },
      h("h2", {}, "Quotes"),
      h("ul", {}, (quotes.value?.items || []).map((q) => h("li", {}, actorLink(q.speaker), `: “${q.text}” · `, jump(q)))),
    ),
    h(
      "section",
      { "aria-label": "Actors" },
      h("h2", {}, `Actors (${doc.actors.length})`),
      h(
        "ul",
        { class: "columns" },
        doc.actors.map((a) => h("li", {}, actorLink(a), h("span", { class: "muted" }, ` ${a.type || ""}`))),
      ),
    ),
  );

  const meta = [doc.outlet, doc.author, doc.published].filter(Boolean).join(" · ");
  const node = h(
    "article",
    { class: "document" },
    h("h1", {}, doc.display_title || doc.title || doc.id),
    h(
      "p",
      { class: "muted" },
      meta,
      doc.url ? [" · ", originalLink(doc.url)] : null,
    ),
    problems.map((p) => h("p", { class: "error", role: "alert" }, p)),
    legend,
    body,
    lists,
  );
  const after = () => {
    const marked = body.querySelector(".hl-target");
    if (marked) {
      marked.scrollIntoView({ block: "center" });
      marked.setAttribute("tabindex", "-1");
      marked.focus({ preventScroll: true });
    } else {
      document.getElementById("view").focus({ preventScroll: true });
    }
  };
  return { title: doc.display_title || doc.title || doc.id, node, after };
}
