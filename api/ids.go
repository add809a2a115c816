package api

import "go.mongodb.org/mongo-driver/v2/bson"

// newID returns a fresh id for an embedded document (a template or a variable).
func newID() string { return bson.NewObjectID().Hex() }
