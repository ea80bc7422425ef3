// Actor search by name or alias (/actors?q=, case- and accent-insensitive on the server).
import { actorLink, getJSON, h, section } from "../dom.js";

const TYPES = ["", "Person", "Organization", "Country", "Place", "Group"];

export async function searchView(params) {
  const q = params.get("q") || "";
  const type = params.get("type") || "";
  const input = h("input", { id: "q", name: "q", type: "search", value: q, autocomplete: "off" });
  const select = h(
    "select",
    { id: "type", name: "type" },
    TYPES.map((t) => h("option", { value: t, selected: t === type }, t || "any type")),
  );
  const form = h(
    "form",
    {
      role: "search",
      class: "search",
      onsubmit: (event) => {
        event.preventDefault();
        const next = new URLSearchParams({ q: input.value.trim() });
        if (select.value) next.set("type", select.value);
        window.location.hash = `#/?${next}`;
      },
    },
    h("label", { for: "q" }, "Actor name or alias"),
    input,
    h("label", { for: "type" }, "Type"),
    select,
    h("button", { type: "submit" }, "Search"),
  );
  const results = section(q ? `Actors matching “${q}”` : "Actors", async () => {
    const page = await getJSON("/actors", { q, type, limit: 200 });
    if (page.items.length === 0) return h("p", {}, "No actor matches.");
    return [
      h("p", { class: "muted" }, `${page.total} actor(s)${page.total > page.items.length ? `, first ${page.items.length}` : ""}`),
      h(
        "ul",
        { class: "results" },
        page.items.map((actor) =>
          h(
            "li",
            {},
            actorLink(actor),
            " ",
            h("span", { class: `badge type type-${actor.type}` }, actor.type || "?"),
            actor.aliases.length ? h("span", { class: "muted" }, ` also: ${actor.aliases.join(", ")}`) : null,
            h("span", { class: "muted" }, ` · ${actor.documents.length} article(s)`),
          ),
        ),
      ),
    ];
  });
  const stats = section("In the store", async () => {
    const s = await getJSON("/stats");
    return h(
      "p",
      { class: "stats" },
      `${s.documents} articles · ${s.actors} actors · ${s.events} events · ${s.positions} positions · ${s.quotes} quotes · ${s.triples} triples`,
    );
  });
  return {
    title: "Actors",
    node: h("div", {}, h("h1", {}, "Find an actor"), form, results, stats),
    after: () => input.focus(),
  };
}
