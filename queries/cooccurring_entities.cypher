// What co-occurs with an entity: the entities mentioned in the same papers, strongest first.
//
// Parameters:
//   $entity  string  required          the entity's key, name or any alias (case-insensitive)
//   $kind    string  default ""        only co-occurring entities of this kind ("" for all)
//   $limit   int     default 10        how many rows
//
// Returns: name, key, kind, papers, npmi, association_strength
MATCH (e:Entity)
WHERE e.key = $entity OR toLower(e.name) = toLower($entity)
   OR any(a IN coalesce(e.aliases, []) WHERE toLower(a) = toLower($entity))
MATCH (e)-[c:CO_OCCURS]-(o:Entity)
WHERE $kind = "" OR o.label = $kind
RETURN o.name AS name, o.key AS key, o.label AS kind, c.papers AS papers, c.npmi AS npmi,
       c.association_strength AS association_strength
ORDER BY papers DESC, npmi DESC, key ASC
LIMIT $limit
