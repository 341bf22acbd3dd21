// How much citegraph holds in this database: nodes per label and relationships per type (only what citegraph
// wrote, i.e. nodes labelled :Citegraph and the relationships between them).
//
// Parameters:
//   (none)
//
// Returns: what, name, count
CALL () {
  MATCH (n:Citegraph)
  UNWIND [l IN labels(n) WHERE l <> "Citegraph"] AS label
  RETURN "nodes" AS what, label AS name, count(*) AS count
  UNION ALL
  MATCH (:Citegraph)-[r]->(:Citegraph)
  RETURN "relationships" AS what, type(r) AS name, count(*) AS count
}
RETURN what, name, count
ORDER BY what ASC, name ASC
