// Datasets and metrics that evaluate a method: the typed EVALUATE_FOR relations the abstracts state (dataset or
// metric EVALUATE_FOR method), most papers first.
//
// Parameters:
//   $method  string  required        the method's key, name or any alias (case-insensitive)
//   $limit   int     default 20      how many rows
//
// Returns: name, key, kind, papers, score, paper_ids
MATCH (m:Entity)
WHERE m.key = $method OR toLower(m.name) = toLower($method)
   OR any(a IN coalesce(m.aliases, []) WHERE toLower(a) = toLower($method))
MATCH (e:Entity)-[r:EVALUATE_FOR]->(m)
WHERE e.label IN ["dataset", "metric"]
RETURN e.name AS name, e.key AS key, e.label AS kind, r.papers AS papers, r.score AS score,
       r.paper_ids AS paper_ids
ORDER BY papers DESC, score DESC, key ASC
LIMIT $limit
