// Command seed fills the embedded store of a local-mode data folder with many projects and
// versions, for the dashboard's benchmark (web/e2e/bench.mjs): it runs before oneko starts on
// the same folder and secret key. Versions are inserted in batches (Store.InsertVersions, one
// bulk insert per project, which keeps the store's indexes); deployed ones are written
// as Running with no releases (their projects have no templates, so a reconcile deploys
// nothing).
package main

import (
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/oneko/oneko/internal/localstack"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/secret"
	"github.com/oneko/oneko/internal/store"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run() error {
	dataDir := flag.String("data-dir", os.Getenv("ONEKO_DATA_DIR"), "local-mode data folder (ONEKO_DATA_DIR)")
	projects := flag.Int("projects", 1000, "projects to create")
	versions := flag.Int("versions", 50, "versions per project")
	deployed := flag.Int("deployed", 100, "versions to mark deployed and running, spread over the projects")
	flag.Parse()
	key, err := hex.DecodeString(os.Getenv("ONEKO_SECRET_KEY"))
	if err != nil || len(key) != 32 {
		return fmt.Errorf("ONEKO_SECRET_KEY must be 64 hex digits (the server's key)")
	}
	box, err := secret.NewBox(key)
	if err != nil {
		return err
	}
	ctx := context.Background()
	m, err := localstack.StartMongo(ctx, filepath.Join(*dataDir, "ferretdb"), slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer m.Stop()
	st, err := store.Open(ctx, m.URI(), store.Options{Database: "oneko", Box: box, SoleWriter: true})
	if err != nil {
		return err
	}
	defer st.Close(ctx)
	if err := m.IndexIDs(ctx); err != nil {
		return err
	}

	now := time.Now().UTC()
	every := max(1, *projects**versions/max(1, *deployed))
	n := 0
	for i := range *projects {
		p := &model.Project{Name: fmt.Sprintf("bench-%04d", i), ImageName: fmt.Sprintf("bench/app-%04d", i),
			URLTemplates: []string{"https://{{DNS_VERSION_NAME}}." + fmt.Sprintf("app-%04d", i) + ".example"}}
		p.Normalize()
		if err := st.CreateProject(ctx, p); err != nil {
			return err
		}
		docs := make([]*model.Version, 0, *versions)
		for j := range *versions {
			tag := fmt.Sprintf("1.%d.%d", j/10, j%10)
			v := model.NewVersion(p, tag, "sha256:"+strings.Repeat(fmt.Sprintf("%x", j%16), 64), now.Add(-time.Duration(j)*time.Hour))
			v.ID = store.VersionID(p.ID, tag)
			v.Revision = 1
			v.URLs = []string{"https://" + strings.ReplaceAll(tag, ".", "-") + fmt.Sprintf(".app-%04d.example", i)}
			if n%every == 0 && n/every < *deployed {
				at, exp := now.Add(-time.Hour), now.Add(8*time.Hour)
				v.DesiredState = model.Deployed
				v.Deployment = model.Deployment{Status: model.StatusRunning, DeployedAt: &at, ExpiresAt: &exp, ReadyPods: 1, DesiredPods: 1, Releases: []model.Release{}}
			}
			n++
			docs = append(docs, v)
		}
		if err := st.InsertVersions(ctx, docs); err != nil {
			return fmt.Errorf("insert versions of %s: %w", p.Name, err)
		}
	}
	fmt.Printf("seeded %d projects, %d versions, %d deployed\n", *projects, n, min(*deployed, (n+every-1)/every))
	return nil
}
