// The actor network (/network) drawn with cytoscape (npm, UMD build served from
// /web/vendor/); a click on a node opens the actor. A plain list of the same actors below the
// drawing serves keyboards and screen readers.
import { actorHref, getJSON, h } from "../dom.js";

const COLORS = {
  Person: "#1f5fa8",
  Organization: "#8a4b08",
  Country: "#2b7a3d",
  Place: "#6b4fa0",
  Group: "#a3195b",
};

export async function networkView(params) {
  const minWeight = params.get("min_weight") || "1";
  const data = await getJSON("/network", { min_weight: minWeight, limit: 150 });
  const canvas = h("div", {
    id: "network",
    class: "network",
    role: "img",
    "aria-label": `Network of ${data.nodes.length} actors; the same actors are listed below`,
  });
  const list = h(
    "ul",
    { class: "columns" },
    data.nodes.map((n) =>
      h("li", {}, h("a", { href: actorHref(n.id) }, n.name), h("span", { class: "muted" }, ` · ${n.degree} link(s)`)),
    ),
  );
  const legend = h(
    "ul",
    { class: "legend", "aria-label": "Node colours" },
    Object.entries(COLORS).map(([type, color]) =>
      h("li", {}, h("span", { class: "swatch", style: { background: color } }), type),
    ),
  );
  const node = h(
    "div",
    {},
    h("h1", {}, "Actor network"),
    h(
      "p",
      {},
      `Actors linked by shared events and positions (holder and target); edge width grows with the number of links. ${data.nodes.length} actors, ${data.edges.length} links. Click a node to open the actor.`,
    ),
    legend,
    canvas,
    h("h2", {}, "Actors in the network"),
    list,
  );
  // Without a drawing, the canvas shrinks to its message and the colour legend goes.
  const bare = (...children) => {
    canvas.classList.add("bare");
    legend.hidden = true;
    canvas.replaceChildren(...children);
  };
  const after = () => {
    if (data.nodes.length === 0) {
      bare(h("p", {}, "No link between actors yet."));
      return;
    }
    if (typeof window.cytoscape !== "function") {
      bare(
        h("p", { class: "error", role: "alert" }, "The graph library is not installed (run `make install`); the actors are listed below."),
      );
      return;
    }
    const maxWeight = Math.max(1, ...data.nodes.map((n) => n.weight));
    const cy = window.cytoscape({
      container: canvas,
      elements: [
        ...data.nodes.map((n) => ({
          data: { id: n.id, label: n.name, color: COLORS[n.type] || "#555", size: 18 + (30 * n.weight) / maxWeight },
        })),
        ...data.edges.map((e) => ({
          data: { id: `${e.source}|${e.target}`, source: e.source, target: e.target, width: 1 + Math.min(e.weight, 8) },
        })),
      ],
      style: [
        {
          selector: "node",
          style: {
            "background-color": "data(color)",
            label: "data(label)",
            width: "data(size)",
            height: "data(size)",
            "font-size": 12,
            color: "#111",
            "text-valign": "bottom",
            "text-margin-y": 3,
            "text-background-color": "#fff",
            "text-background-opacity": 0.85,
          },
        },
        { selector: "edge", style: { width: "data(width)", "line-color": "#8c96a0", "curve-style": "bezier" } },
      ],
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 8000, padding: 30 },
    });
    cy.on("tap", "node", (event) => {
      window.location.hash = actorHref(event.target.id());
    });
    window.newskgNetwork = cy; // for the browser console and the end-to-end tests
  };
  return { title: "Network", node, after };
}
