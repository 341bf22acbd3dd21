// The most connected papers: entities mentioned, related papers and references cited, by total degree.
//
// Parameters:
//   $limit  int  default 10  how many rows
//
// Returns: paper_id, title, entities, related, references, degree
MATCH (p:Paper)
WITH p,
     COUNT { (p)-[:MENTIONS]->(:Entity) } AS entities,
     COUNT { (p)-[:RELATED_TO]-(:Paper) } AS related,
     COUNT { (p)-[:CITES]->(:Reference) } AS references
RETURN p.paper_id AS paper_id, p.title AS title, entities, related, references,
       entities + related + references AS degree
ORDER BY degree DESC, paper_id ASC
LIMIT $limit
