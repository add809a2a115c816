package store

// SetIDLookupsOnly makes s read versions by _id one at a time (as with FerretDB) or by
// batches of ids (as with MongoDB), whatever its server is.
func SetIDLookupsOnly(s *Store, on bool) { s.idLookupsOnly = on }
