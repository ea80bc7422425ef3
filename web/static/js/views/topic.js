// Who stands where on one topic (/topics/{id}/positions): stance groups, each headed by what its
// positions say ("rejects: a ceasefire": the positions of a group share stance, direction and
// topic, so their `summary`), then holders, each position with its sentence.
import { actorLink, evidenceBlock, getJSON, h, stanceBadges } from "../dom.js";

/** The group's sentence, else (a server without `summary`) its stance and direction badges. */
function groupHeading(group) {
  const summary = group.actors[0]?.positions[0]?.summary;
  return summary ? h("span", { class: "summary" }, summary) : stanceBadges(group.stance, group.direction);
}

export async function topicView(id) {
  const data = await getJSON(`/topics/${encodeURIComponent(id)}/positions`, { per_actor: 20 });
  const topic = data.topic;
  const groups = data.groups.map((group) =>
    h(
      "section",
      { class: "stance-group", "aria-label": `${group.stance} ${group.direction}` },
      h("h2", {}, groupHeading(group), h("span", { class: "muted" }, ` · ${group.count} position(s)`)),
      h(
        "ul",
        { class: "positions" },
        group.actors.map((holder) =>
          h(
            "li",
            { class: "position" },
            h("p", {}, actorLink(holder.actor), h("span", { class: "muted" }, ` · ${holder.count}`)),
            holder.positions.map((p) => evidenceBlock(p)),
          ),
        ),
      ),
    ),
  );
  return {
    title: topic.label,
    node: h(
      "article",
      {},
      h("h1", {}, topic.label),
      topic.definition ? h("p", {}, topic.definition) : null,
      h("p", { class: "muted" }, `${data.total} position(s) by ${topic.actors} actor(s)`),
      groups.length ? groups : h("p", {}, "No position on this topic."),
    ),
  };
}
