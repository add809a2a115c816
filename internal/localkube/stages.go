package localkube

import (
	"bytes"
	"embed"
	"io/fs"
)

// stageFiles are kwok's "fast" stages for Nodes and Pods, copied unchanged from the
// module sigs.k8s.io/kwok v0.8.0 (kustomize/stage/node/fast/node-initialize.yaml and
// kustomize/stage/pod/fast/*.yaml; Apache License 2.0).
//
//go:embed stages/*.yaml
var stageFiles embed.FS

// kwokStages returns every embedded stage as one multi-document YAML file for kwok's
// --config flag.
func kwokStages() []byte {
	// The pattern is a constant that matches the embedded files, so Glob and ReadFile
	// cannot fail here.
	names, _ := fs.Glob(stageFiles, "stages/*.yaml")
	docs := make([][]byte, 0, len(names))
	for _, name := range names {
		data, _ := stageFiles.ReadFile(name)
		docs = append(docs, bytes.TrimSpace(data))
	}
	return append(bytes.Join(docs, []byte("\n---\n")), '\n')
}
