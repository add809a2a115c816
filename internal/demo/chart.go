package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/repo"
)

// ChartName is the name of the demo chart in the demo chart repository.
const ChartName = "hello"

// chartFiles is the source of the demo chart.
//
//go:embed chart/hello
var chartFiles embed.FS

// chartRoot is the chart's directory inside chartFiles.
const chartRoot = "chart/hello"

// packageChart loads the embedded chart with the Helm SDK, writes its archive into dir and
// indexes dir into dir/index.yaml, with URLs relative to the repository.
func packageChart(dir string) error {
	var files []*loader.BufferedFile
	err := fs.WalkDir(chartFiles, chartRoot, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := chartFiles.ReadFile(p)
		if err != nil {
			return err
		}
		files = append(files, &loader.BufferedFile{Name: strings.TrimPrefix(p, chartRoot+"/"), Data: data})
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the demo chart: %w", err)
	}
	c, err := loader.LoadFiles(files)
	if err != nil {
		return fmt.Errorf("load the demo chart: %w", err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create chart directory: %w", err)
	}
	if _, err := chartutil.Save(c, dir); err != nil {
		return fmt.Errorf("package the demo chart: %w", err)
	}
	idx, err := repo.IndexDirectory(dir, "")
	if err != nil {
		return fmt.Errorf("index %s: %w", dir, err)
	}
	idx.SortEntries()
	if err := idx.WriteFile(filepath.Join(dir, "index.yaml"), 0o640); err != nil {
		return fmt.Errorf("write index.yaml: %w", err)
	}
	return nil
}

// chartHandler serves index.yaml and the chart archives of dir, and nothing else.
func chartHandler(dir string) http.Handler {
	files := http.FileServerFS(os.DirFS(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := path.Clean("/" + r.URL.Path)
		if p != "/index.yaml" && (path.Dir(p) != "/" || path.Ext(p) != ".tgz") {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
}
