// Example queries of the SPARQL editor: those of the README's tour and docs/sparql.md, then more.
// Written with kg:actorKey rather than actor IRIs so they work whatever KG_BASE_IRI is.
const PREFIXES = `PREFIX kg: <https://w3id.org/newskg/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
`;

export const EXAMPLES = [
  {
    title: "Is there a graph? (ASK)",
    query: "ASK { ?s ?p ?o }",
  },
  {
    title: "What does Putin demand, and where was it said?",
    query: `${PREFIXES}SELECT DISTINCT ?topic ?direction ?document ?evidence WHERE {
  ?position kg:holder/kg:actorKey "vladimir-putin" ;
            kg:stance/skos:notation "demands" ;
            kg:topic/skos:notation ?topic ;
            kg:direction/skos:notation ?direction ;
            kg:evidence ?ev .
  ?ev oa:hasSource/kg:documentId ?document ; oa:hasSelector/oa:exact ?evidence .
} ORDER BY ?document ?topic`,
  },
  {
    title: "Who stands where: positions by topic and stance",
    query: `${PREFIXES}SELECT ?topic ?stance (COUNT(DISTINCT ?position) AS ?positions) WHERE {
  ?position a kg:Position ;
            kg:topic/skos:notation ?topic ;
            kg:stance/skos:notation ?stance .
} GROUP BY ?topic ?stance ORDER BY DESC(?positions) ?topic`,
  },
  {
    title: "Events with their participants",
    query: `${PREFIXES}PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
SELECT ?event ?document (GROUP_CONCAT(DISTINCT ?name; separator=", ") AS ?participants) WHERE {
  ?event sem:hasActor ?actor ; kg:evidence/oa:hasSource/kg:documentId ?document .
  ?actor skos:prefLabel ?name .
} GROUP BY ?event ?document ORDER BY ?document`,
  },
  {
    title: "Named graphs and their sizes",
    query: `SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph ORDER BY ?graph`,
  },
];
