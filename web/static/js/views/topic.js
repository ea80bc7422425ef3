// Who stands where on one topic (/topics/{id}/positions): stance groups, then holders, each
// position with its sentence.
import { actorLink, evidenceBlock, getJSON, h, stanceBadges } from "../dom.js";

export async function topicView(id) {
  const data = await getJSON(`/topics/${encodeURIComponent(id)}/positions`, { per_actor: 20 });
  const topic = data.topic;
  const groups = data.groups.map((group) =>
    h(
      "section",
      { class: "stance-group", "aria-label": `${group.stance} ${group.direction}` },
      h("h2", {}, stanceBadges(group.stance, group.direction), h("span", { class: "muted" }, ` ${group.count} position(s)`)),
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
