// Stance matrix: actors (rows) by topics (columns); each cell lists stance/direction with counts,
// and a click shows those positions with their sentences.
import { actorLink, evidenceBlock, getJSON, h, topicHref } from "../dom.js";

const TYPES = ["", "Person", "Organization", "Country", "Place", "Group"];
// Cells name a stance and a direction in a few characters so that a column stays narrow; the
// button's title and accessible name say them in full, and the legend under the form explains.
export const STANCE_ABBREVIATIONS = {
  demands: "dem",
  proposes: "prop",
  supports: "sup",
  opposes: "opp",
  rejects: "rej",
  threatens: "thr",
  claims: "clm",
  accuses: "acc",
};
export const DIRECTION_SIGNS = { for: "+", against: "−", "n/a": "·" };

function cellBadges(stance, direction) {
  return [
    h("span", { class: `badge stance stance-${stance}` }, STANCE_ABBREVIATIONS[stance] || stance),
    h("span", { class: `dir-sign dir-${direction.replace("/", "")}` }, DIRECTION_SIGNS[direction] || direction),
  ];
}

function legend() {
  const stances = Object.entries(STANCE_ABBREVIATIONS).map(([s, a]) => `${a} ${s}`);
  const signs = Object.entries(DIRECTION_SIGNS).map(([d, sign]) => `${sign} ${d}`);
  return h("p", { class: "muted matrix-key" }, `Cells: ${stances.join(", ")}; ${signs.join(", ")}.`);
}

async function showEvidence(panel, actor, topic, cell) {
  panel.replaceChildren(h("p", { class: "muted" }, "Loading…"));
  const page = await getJSON("/positions", {
    actor: actor.id,
    topic: topic.id,
    stance: cell.stance,
    limit: 500,
  });
  const wanted = new Set(cell.positions);
  const items = page.items.filter((p) => wanted.has(p.id));
  panel.replaceChildren(
    h("h2", { tabindex: "-1" }, `${actor.name} · ${topic.label} · ${cell.stance} / ${cell.direction}`),
    h(
      "ul",
      { class: "positions" },
      items.map((p) => h("li", { class: "position" }, evidenceBlock(p))),
    ),
  );
  panel.querySelector("h2").focus();
  panel.scrollIntoView({ block: "start", behavior: "smooth" });
}

export async function matrixView(params) {
  const type = params.get("type") || "";
  const min = params.get("min") || "1";
  const data = await getJSON("/stance-matrix", { type, min });
  const panel = h("section", { class: "panel", "aria-live": "polite", "aria-label": "Evidence" });

  const typeSelect = h(
    "select",
    { id: "m-type" },
    TYPES.map((t) => h("option", { value: t, selected: t === type }, t || "any type")),
  );
  const minInput = h("input", { id: "m-min", type: "number", min: 1, value: min, size: 3 });
  const form = h(
    "form",
    {
      class: "filters",
      onsubmit: (event) => {
        event.preventDefault();
        const next = new URLSearchParams({ min: minInput.value || "1" });
        if (typeSelect.value) next.set("type", typeSelect.value);
        window.location.hash = `#/matrix?${next}`;
      },
    },
    h("label", { for: "m-type" }, "Actor type"),
    typeSelect,
    h("label", { for: "m-min" }, "At least positions"),
    minInput,
    h("button", { type: "submit" }, "Apply"),
  );

  if (data.actors.length === 0) {
    return { title: "Stance matrix", node: h("div", {}, h("h1", {}, "Stance matrix"), form, h("p", {}, "No position matches.")) };
  }
  const cells = new Map();
  for (const c of data.cells) {
    const key = `${c.actor}\u0000${c.topic}`;
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key).push(c);
  }
  const table = h(
    "table",
    { class: "matrix" },
    h("caption", {}, `${data.actors.length} actors × ${data.topics.length} topics; click a cell entry for its evidence`),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col", class: "corner" }, "Actor (positions)"),
        data.topics.map((t) => h("th", { scope: "col", class: "topic", title: t.label }, h("a", { href: topicHref(t.id) }, t.label))),
      ),
    ),
    h(
      "tbody",
      {},
      data.actors.map((actor) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, actorLink(actor), h("span", { class: "muted", title: `${actor.positions} position(s) in all` }, ` (${actor.positions})`)),
          data.topics.map((topic) =>
            h(
              "td",
              {},
              (cells.get(`${actor.id}\u0000${topic.id}`) || []).map((cell) =>
                h(
                  "button",
                  {
                    type: "button",
                    class: `cell dir-${cell.direction.replace("/", "")}`,
                    title: `${actor.name} ${cell.stance} (${cell.direction}) on ${topic.label}: ${cell.count}`,
                    "aria-label": `${cell.stance}, ${cell.direction}, ${cell.count} position(s) on ${topic.label}`,
                    onclick: () => showEvidence(panel, actor, topic, cell),
                  },
                  cellBadges(cell.stance, cell.direction),
                  cell.count > 1 ? h("span", { class: "count" }, `×${cell.count}`) : null,
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  return {
    title: "Stance matrix",
    node: h("div", {}, h("h1", {}, "Stance matrix"), form, legend(), h("div", { class: "scroll" }, table), panel),
  };
}
