// A method's parts and kinds: the typed PART_OF and HYPONYM_OF relations the abstracts state around an entity, in
// both directions (its parts and what it is part of; its kinds and what it is a kind of).
//
// Parameters:
//   $entity  string  required        the entity's key, name or any alias (case-insensitive)
//   $limit   int     default 20      how many rows
//
// Returns: relation, direction, name, key, kind, papers, paper_ids
MATCH (e:Entity)
WHERE e.key = $entity OR toLower(e.name) = toLower($entity)
   OR any(a IN coalesce(e.aliases, []) WHERE toLower(a) = toLower($entity))
MATCH (e)-[r:PART_OF|HYPONYM_OF]-(o:Entity)
WITH r, o, CASE WHEN startNode(r) = e THEN "outgoing" ELSE "incoming" END AS direction
RETURN type(r) AS relation, direction, o.name AS name, o.key AS key, o.label AS kind, r.papers AS papers,
       r.paper_ids AS paper_ids
ORDER BY relation ASC, direction ASC, papers DESC, key ASC
LIMIT $limit
