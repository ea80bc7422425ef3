// One actor: type, Wikidata link, roles, articles, contradictions (both sides, with their
// sentences), positions by topic (each read as a sentence, "Vladimir Putin demands: Ukraine stays
// out of NATO", with its evidence and a link to that span in the article), a timeline of its
// positions on a topic, events in time order, quotes and linked actors.
import { byDate, dateLabel, dateSource } from "../dates.js";
import {
  actorHref,
  actorLink,
  docHref,
  documentIndex,
  errorBox,
  evidenceBlock,
  getJSON,
  h,
  isHttpIri,
  section,
  stanceBadges,
  topicHref,
} from "../dom.js";

const PAGE = { limit: 500 };
const FAMILY_WORDS = { wants: "what it wants", threatens: "what it threatens", claims: "what it claims" };


function positionsByTopic(positions) {
  const topics = new Map();
  for (const p of positions) {
    if (!topics.has(p.topic.id)) topics.set(p.topic.id, { topic: p.topic, items: [] });
    topics.get(p.topic.id).items.push(p);
  }
  return [...topics.values()].sort((a, b) => a.topic.label.localeCompare(b.topic.label));
}

/**
 * The position as a sentence: the holder's name, then the REST `summary` (the stance verb and the
 * topic's phrase for what the holder wants, never "rejects, against"; docs/positions.md).
 */
export function positionSentence(p, holderName) {
  return h(
    "span",
    { class: "summary", "data-stance": p.stance, "data-direction": p.direction },
    h("strong", {}, holderName),
    " ",
    p.summary,
  );
}

function positionItem(p, holderName) {
  return h(
    "li",
    { class: "position" },
    h(
      "p",
      {},
      positionSentence(p, holderName),
      p.target ? [" · target ", actorLink(p.target)] : null,
      p.reported_by ? [" · reported by ", actorLink(p.reported_by)] : null,
      p.hedged ? h("span", { class: "muted" }, " · hedged") : null,
    ),
    evidenceBlock(p),
  );
}

/** Events by resolved date; undated ones by their article's date, then order in the article. */
export function timelineOrder(events, documents) {
  const key = (e) => [
    e.date?.start || documents.get(e.document)?.published || "9999",
    e.date ? 0 : 1,
    e.document,
    e.evidence.start,
  ];
  return [...events].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < x.length; i += 1) {
      if (x[i] < y[i]) return -1;
      if (x[i] > y[i]) return 1;
    }
    return 0;
  });
}

function eventItem(e, documents, self) {
  const published = documents.get(e.document)?.published;
  const when = e.date
    ? dateElement(e.date)
    : h("span", { class: "muted" }, published ? `undated (article of ${published})` : "undated");
  const others = e.participants.filter((p) => p.id !== self);
  return h(
    "li",
    { class: "event" },
    h("div", { class: "when" }, when),
    h(
      "div",
      {},
      h(
        "p",
        {},
        h("span", { class: "badge event-type" }, e.type.replace("_", " ")),
        e.status && e.status !== "happened" ? h("span", { class: "muted" }, ` (${e.status})`) : null,
        others.length ? [" with ", others.map((p, i) => [i ? ", " : "", actorLink(p)])] : null,
        e.place ? [" in ", actorLink(e.place)] : null,
        e.time ? h("span", { class: "muted" }, ` · “${e.time}”`) : null,
      ),
      evidenceBlock(e),
    ),
  );
}

/** A statement's date as the text gives it, its source ("2014" in the text, the article's
 * publication) below it. */
function dateElement(date) {
  return [
    h("time", { datetime: date.value, title: `${date.start} – ${date.end}` }, dateLabel(date)),
    h("div", { class: "muted date-source" }, dateSource(date)),
  ];
}

function timelineItem(p) {
  return h(
    "li",
    { class: "moment", "data-id": p.id },
    h("div", { class: "when" }, p.date ? dateElement(p.date) : h("span", { class: "muted" }, "undated")),
    h(
      "div",
      {},
      h("p", {}, stanceBadges(p.stance, p.direction), " ", h("a", { href: topicHref(p.topic.id) }, p.topic.label)),
      evidenceBlock(p),
    ),
  );
}

/** The actor's positions on one topic (or all) in time order, as `order=date` gives them. */
function positionTimeline(path, loaded) {
  return section("Positions over time", async () => {
    const all = await loaded;
    if (all.items.length === 0) return h("p", {}, "No position extracted.");
    const list = h("ol", { class: "timeline position-timeline" });
    const show = (topic) =>
      getJSON(`${path}/positions`, { ...PAGE, order: "date", ...(topic ? { topic } : {}) })
        .then((page) => list.replaceChildren(...byDate(page.items).map(timelineItem)))
        .catch((err) => list.replaceChildren(errorBox(err, "Positions over time")));
    const topics = positionsByTopic(all.items).map(({ topic, items }) =>
      h("option", { value: topic.id }, `${topic.label} (${items.length})`),
    );
    const select = h(
      "select",
      { id: "timeline-topic", onchange: (event) => show(event.target.value) },
      h("option", { value: "" }, "All topics"),
      topics,
    );
    await show("");
    return [h("p", {}, h("label", { for: "timeline-topic" }, "Topic: "), select), list];
  });
}

/** An http(s) Wikidata IRI as a link named by its Q-id; any other IRI as text, linking nowhere. */
function wikidataLink(iri) {
  if (!isHttpIri(iri)) return h("code", {}, iri);
  return h("a", { href: iri, rel: "external noopener", class: "external" }, iri.split("/").pop());
}

export async function actorView(id) {
  const actor = await getJSON(`/actors/${encodeURIComponent(id)}`);
  const documents = await documentIndex().catch(() => new Map());
  const path = `/actors/${encodeURIComponent(id)}`;

  const facts = h(
    "dl",
    { class: "facts" },
    h("dt", {}, "Type"),
    h("dd", {}, h("span", { class: `badge type type-${actor.type}` }, actor.type || "unknown")),
    h("dt", {}, "Also named"),
    h("dd", {}, actor.aliases.length ? actor.aliases.join(", ") : "—"),
    h("dt", {}, "Roles"),
    h("dd", {}, actor.roles.length ? actor.roles.join("; ") : "—"),
    h("dt", {}, "Wikidata"),
    h(
      "dd",
      {},
      actor.wikidata ? wikidataLink(actor.wikidata) : "not linked",
    ),
    h("dt", {}, "IRI"),
    h("dd", {}, h("code", {}, actor.iri)),
  );

  const articles = h(
    "ul",
    { class: "articles" },
    actor.documents.map((d) => {
      const doc = documents.get(d);
      return h(
        "li",
        {},
        h("a", { href: docHref(d) }, doc?.display_title || d),
        doc && (doc.outlet || doc.published)
          ? h("span", { class: "muted" }, ` · ${[doc.outlet, doc.published].filter(Boolean).join(", ")}`)
          : null,
      );
    }),
  );

  const positionsLoaded = getJSON(`${path}/positions`, PAGE);
  positionsLoaded.catch(() => {}); // each section shows the error in place

  const contradictions = section("Contradictions", async () => {
    const data = await getJSON(`${path}/contradictions`);
    if (data.items.length === 0) {
      return h("p", { class: "muted" }, "None: no topic on which this actor is both for and against.");
    }
    return [
      h(
        "p",
        { class: "muted" },
        "Topics on which the articles have this actor both for and against within one stance family: " +
          "facts of the articles (a change of mind, or differing reports), shown rather than hidden.",
      ),
      ...data.items.map((c) =>
        h(
          "section",
          { class: "contradiction", "aria-label": `${c.topic.label}, ${FAMILY_WORDS[c.family] || c.family}` },
          h(
            "h3",
            {},
            h("a", { href: topicHref(c.topic.id) }, c.topic.label),
            h("span", { class: "muted" }, ` · ${FAMILY_WORDS[c.family] || c.family}`),
          ),
          [["for", c.positions_for], ["against", c.positions_against]].map(([side, items]) =>
            h(
              "div",
              { class: `side side-${side}` },
              h("h4", {}, side === "for" ? "For the topic" : "Against the topic"),
              h("ul", { class: "positions" }, items.map((p) => positionItem(p, actor.name))),
            ),
          ),
        ),
      ),
    ];
  });

  const positions = section("Positions by topic", async () => {
    const page = await positionsLoaded;
    if (page.items.length === 0) return h("p", {}, "No position extracted.");
    return positionsByTopic(page.items).map(({ topic, items }) =>
      h(
        "section",
        { class: "topic", "aria-label": topic.label },
        h("h3", {}, h("a", { href: topicHref(topic.id) }, topic.label), h("span", { class: "muted" }, ` (${items.length})`)),
        h("ul", { class: "positions" }, items.map((p) => positionItem(p, actor.name))),
      ),
    );
  });

  const timeline = section("Events timeline", async () => {
    const page = await getJSON(`${path}/events`, PAGE);
    if (page.items.length === 0) return h("p", {}, "No event extracted.");
    return h("ol", { class: "timeline" }, timelineOrder(page.items, documents).map((e) => eventItem(e, documents, id)));
  });

  const quotes = section("Quotes", async () => {
    const page = await getJSON(`${path}/quotes`, PAGE);
    if (page.items.length === 0) return h("p", {}, "No quote extracted.");
    return h("ul", { class: "quotes" }, page.items.map((q) => h("li", {}, evidenceBlock(q))));
  });

  const network = section("Linked actors", async () => {
    const data = await getJSON(`${path}/network`, { limit: 100 });
    if (data.links.length === 0) return h("p", {}, "No shared event or position.");
    return h(
      "ul",
      { class: "links" },
      data.links.map((link) =>
        h(
          "li",
          {},
          h("a", { href: actorHref(link.actor.id) }, link.actor.name),
          h("span", { class: "muted" }, ` · ${link.events} shared event(s), ${link.positions} position(s)`),
        ),
      ),
    );
  });

  return {
    title: actor.name,
    node: h(
      "article",
      { class: "actor-page" },
      h("h1", {}, actor.name),
      facts,
      h("section", { "aria-label": "Articles" }, h("h2", {}, `Articles (${actor.documents.length})`), articles),
      contradictions,
      positions,
      positionTimeline(path, positionsLoaded),
      timeline,
      quotes,
      network,
    ),
  };
}
