// Statement dates as REST gives them ({value, precision, start, end, basis, text}): how they read
// on the page, and the order of a timeline.

const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];

/** "18 March 2025", "week of 10 March 2025", "March 2025" or "2014": only what the text says. */
export function dateLabel(date) {
  const [year, month, day] = date.start.split("-").map(Number);
  switch (date.precision) {
    case "day":
      return `${day} ${MONTHS[month - 1]} ${year}`;
    case "week":
      return `week of ${day} ${MONTHS[month - 1]} ${year}`;
    case "month":
      return `${MONTHS[month - 1]} ${year}`;
    default:
      return String(year);
  }
}

/** Why a statement has this date: the words of the text, or its article's publication. */
export function dateSource(date) {
  if (date.basis === "published") {
    return date.text ? `article published (“${date.text.text}”)` : "article published";
  }
  return date.text ? `“${date.text.text}”` : "stated in the text";
}

/** Items by date (first day, then the shorter period), the undated last; stable otherwise. */
export function byDate(items) {
  const key = (item) => (item.date ? [0, item.date.start, item.date.end] : [1, "", ""]);
  return items
    .map((item, index) => ({ item, index, key: key(item) }))
    .sort((a, b) => {
      for (let i = 0; i < a.key.length; i += 1) {
        if (a.key[i] < b.key[i]) return -1;
        if (a.key[i] > b.key[i]) return 1;
      }
      return a.index - b.index;
    })
    .map(({ item }) => item);
}
