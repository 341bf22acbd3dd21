// An entity's neighbourhood for Neo4j Browser's graph view: the entity, the papers that mention it and the
// entities it co-occurs with (one row per relationship; paste into Browser and switch to the graph view).
//
// Parameters:
//   $entity  string  required        the entity's key, name or any alias (case-insensitive)
//   $limit   int     default 50      how many relationships
//
// Returns: entity, relationship, neighbour
MATCH (e:Entity)
WHERE e.key = $entity OR toLower(e.name) = toLower($entity)
   OR any(a IN coalesce(e.aliases, []) WHERE toLower(a) = toLower($entity))
MATCH (e)-[r:MENTIONS|CO_OCCURS]-(n)
RETURN e AS entity, r AS relationship, n AS neighbour
ORDER BY type(r) ASC, n.id ASC
LIMIT $limit
