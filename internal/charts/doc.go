// Package charts lists and fetches Helm charts from Helm registries and keeps what it fetched.
//
// Two kinds of registry are supported:
//
//   - Classic chart repositories: an http(s) URL serving index.yaml, optionally behind HTTP Basic
//     authentication. The index is parsed with the Helm SDK (helm.sh/helm/v3/pkg/repo) and chart
//     archives are downloaded from the URLs it names; relative URLs are resolved against the
//     repository URL, and an archive is checked against the index's digest when the index has one.
//
//   - OCI registries: a URL oci://host/path. As with `helm push chart.tgz oci://host/path`, the
//     URL is a prefix and every chart is the repository host/path/<chart>, its versions being the
//     tags. ListCharts reads the registry's catalog (/v2/_catalog) and keeps the repositories
//     directly under the prefix. Registries without a catalog (GHCR, Docker Hub and others)
//     are read as a single chart instead: oci://host/path/app lists the chart "app" from the tags of
//     host/path/app, and Chart accepts "app" for it. Charts are pulled with the Helm SDK's
//     registry client (helm.sh/helm/v3/pkg/registry).
//
// A Cache keeps each registry's list of charts for a short time (Options.IndexTTL), and every
// chart archive it fetched for good, in memory and on disk, keyed by registry id, chart name and
// version: once fetched, a chart version is never downloaded again. Concurrent callers asking
// for the same index or the same chart share one download.
//
// The package does not know the oneko document model; callers convert a model.HelmRegistry into
// a Registry.
package charts
