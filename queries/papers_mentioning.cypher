// Papers mentioning an entity, most mentions first.
//
// Parameters:
//   $entity  string  required        the entity's key, name or any alias (case-insensitive)
//   $limit   int     default 50      how many rows
//
// Returns: paper_id, title, url, first_date, mentions
MATCH (e:Entity)
WHERE e.key = $entity OR toLower(e.name) = toLower($entity)
   OR any(a IN coalesce(e.aliases, []) WHERE toLower(a) = toLower($entity))
MATCH (p:Paper)-[m:MENTIONS]->(e)
WITH p, sum(m.count) AS mentions
RETURN p.paper_id AS paper_id, p.title AS title, p.url AS url, p.first_date AS first_date, mentions
ORDER BY mentions DESC, paper_id ASC
LIMIT $limit
