package localstack

import (
	"context"
	"path/filepath"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Without IndexIDs, FerretDB's lookup by _id scans its table; with it, SQLite uses an index,
// and FerretDB still reads and writes the collection.
func TestIndexIDsMakesLookupsByIDUseAnIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	m, err := StartMongo(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Stop()
	client, err := mongo.Connect(options.Client().ApplyURI(m.URI()))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	col := client.Database("oneko").Collection("versions")
	if _, err := col.InsertMany(ctx, []any{bson.D{{Key: "_id", Value: "a"}, {Key: "n", Value: 1}}, bson.D{{Key: "_id", Value: "b"}, {Key: "n", Value: 2}}}); err != nil {
		t.Fatal(err)
	}
	var table string
	tables := func() string {
		db := filepath.Join(dir, "oneko.sqlite")
		if table == "" {
			raw, err := openRO(db)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if err := raw.QueryRowContext(ctx, `SELECT table_name FROM _ferretdb_collections WHERE name = 'versions'`).Scan(&table); err != nil {
				t.Fatal(err)
			}
		}
		return db
	}
	file := tables()
	if used, err := usesIDIndex(ctx, file, table); err != nil || used {
		t.Fatalf("before IndexIDs: lookup by _id uses an index = %v, %v; want a scan (FerretDB's own index does not match)", used, err)
	}
	if err := m.IndexIDs(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.IndexIDs(ctx); err != nil {
		t.Fatalf("a second IndexIDs: %v", err)
	}
	if used, err := usesIDIndex(ctx, file, table); err != nil || !used {
		t.Fatalf("after IndexIDs: lookup by _id uses an index = %v, %v; want true", used, err)
	}
	var got struct{ N int }
	if err := col.FindOne(ctx, bson.D{{Key: "_id", Value: "b"}}).Decode(&got); err != nil || got.N != 2 {
		t.Fatalf("find by _id after IndexIDs = %+v, %v", got, err)
	}
	if _, err := col.UpdateOne(ctx, bson.D{{Key: "_id", Value: "a"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: 5}}}}); err != nil {
		t.Fatal(err)
	}
	if err := col.Drop(ctx); err != nil {
		t.Fatalf("drop a collection with the extra index: %v", err)
	}
}
