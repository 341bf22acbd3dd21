// Shortest path between two entities through the papers that mention them (entity - paper - entity - ...),
// every shortest path listed, each with the entities and the papers on it. The search is bounded to 8 hops.
//
// Parameters:
//   $source  string  required        the first entity (key, name or alias, case-insensitive)
//   $target  string  required        the second entity
//   $limit   int     default 5       how many of the equally short paths
//
// Returns: hops, entities, papers, paper_ids
MATCH (a:Entity)
WHERE a.key = $source OR toLower(a.name) = toLower($source)
   OR any(s IN coalesce(a.aliases, []) WHERE toLower(s) = toLower($source))
MATCH (b:Entity)
WHERE b.key = $target OR toLower(b.name) = toLower($target)
   OR any(s IN coalesce(b.aliases, []) WHERE toLower(s) = toLower($target))
MATCH path = allShortestPaths((a)-[:MENTIONS*..8]-(b))
WHERE a <> b
WITH path, [n IN nodes(path) WHERE n:Entity | n.name] AS entities,
     [n IN nodes(path) WHERE n:Paper | n.title] AS papers,
     [n IN nodes(path) WHERE n:Paper | n.paper_id] AS paper_ids
RETURN length(path) / 2 AS hops, entities, papers, paper_ids
ORDER BY hops ASC, entities ASC, paper_ids ASC
LIMIT $limit
