package registry

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/oneko/oneko/internal/registryspec"
)

// ghcrHost is GitHub's container registry.
const ghcrHost = "ghcr.io"

type githubPayload struct {
	Action          string         `json:"action"`
	Package         *githubPackage `json:"package"`
	RegistryPackage *githubPackage `json:"registry_package"`
	Zen             string         `json:"zen"`
}

type githubPackage struct {
	Name        string `json:"name"`
	Namespace   string `json:"namespace"`
	Ecosystem   string `json:"ecosystem"`
	PackageType string `json:"package_type"`
	Owner       struct {
		Login string `json:"login"`
	} `json:"owner"`
	PackageVersion *struct {
		Name              string          `json:"name"`
		PackageURL        string          `json:"package_url"`
		Metadata          json.RawMessage `json:"metadata"`
		ContainerMetadata *struct {
			Tag struct {
				Name   string `json:"name"`
				Digest string `json:"digest"`
			} `json:"tag"`
		} `json:"container_metadata"`
	} `json:"package_version"`
	Registry *struct {
		URL string `json:"url"`
	} `json:"registry"`
}

// githubVersionMetadata is package_version.metadata as the REST API shapes it; the webhook
// usually sends an empty list instead, which is ignored.
type githubVersionMetadata struct {
	Container struct {
		Tags []string `json:"tags"`
	} `json:"container"`
}

// parseGHCR reads GitHub's "package" (and older "registry_package") event for container
// packages, actions "published" and "updated". Tags come from
// package_version.container_metadata.tag.name and package_version.metadata.container.tags; a
// version without a tag (a platform manifest of a multi-arch push) is ignored. The delivery id
// is the X-GitHub-Delivery header.
func parseGHCR(body []byte, header http.Header) (ParseResult, error) {
	var p githubPayload
	if err := decode(body, &p); err != nil {
		return ParseResult{}, err
	}
	c := newCollector(FormatGHCR)
	event := header.Get("X-GitHub-Event")
	if event == "ping" || (event == "" && p.Zen != "") {
		c.skip("GitHub ping")
		return c.result(), nil
	}
	if event != "" && event != "package" && event != "registry_package" {
		c.skip("GitHub event " + event + " is not a package event")
		return c.result(), nil
	}
	pkg := p.Package
	if pkg == nil {
		pkg = p.RegistryPackage
	}
	if pkg == nil || p.Action == "" {
		return ParseResult{}, malformed("not a GitHub package event: no package or action")
	}
	if p.Action != "published" && p.Action != "updated" {
		c.skip("package action " + p.Action + " needs no action")
		return c.result(), nil
	}
	kind := strings.ToLower(pkg.PackageType)
	if kind == "" {
		kind = strings.ToLower(pkg.Ecosystem)
	}
	if kind != "container" && kind != "docker" {
		c.skip("not a container package")
		return c.result(), nil
	}
	if pkg.PackageVersion == nil {
		return ParseResult{}, malformed("package event without package_version")
	}
	v := pkg.PackageVersion
	host, repo := ghcrRepository(pkg)
	var tags []string
	digest := ""
	if v.ContainerMetadata != nil {
		if v.ContainerMetadata.Tag.Name != "" {
			tags = append(tags, v.ContainerMetadata.Tag.Name)
		}
		digest = v.ContainerMetadata.Tag.Digest
	}
	if digest == "" && registryspec.ValidDigest(v.Name) {
		digest = v.Name
	}
	if len(v.Metadata) > 0 && v.Metadata[0] == '{' {
		var md githubVersionMetadata
		if err := json.Unmarshal(v.Metadata, &md); err != nil {
			return ParseResult{}, malformed("package_version.metadata: %v", err)
		}
		tags = append(tags, md.Container.Tags...)
	}
	if len(tags) == 0 {
		c.skip("container version without a tag")
	}
	for _, tag := range tags {
		err := c.add(Event{
			Action:     ActionPush,
			Host:       senderHost(host),
			Repository: repo,
			Tag:        tag,
			Digest:     digest,
			DeliveryID: header.Get("X-GitHub-Delivery"),
		})
		if err != nil {
			return ParseResult{}, err
		}
	}
	return c.result(), nil
}

// ghcrRepository finds the registry host and the repository of a container package: from
// package_url when it is there ("ghcr.io/owner/name:tag"), else owner (or namespace) and name.
// GHCR repositories are lowercase whatever the case of the owner's login.
func ghcrRepository(pkg *githubPackage) (host, repo string) {
	host = ghcrHost
	if pkg.Registry != nil && pkg.Registry.URL != "" {
		if u, err := url.Parse(pkg.Registry.URL); err == nil && u.Host != "" {
			host = u.Host
		}
	}
	if v := pkg.PackageVersion; v != nil && v.PackageURL != "" {
		h, path := splitHost(v.PackageURL)
		path, _, _ = strings.Cut(path, "@")
		if i := strings.LastIndexByte(path, ':'); i >= 0 {
			path = path[:i]
		}
		if h != "" && path != "" {
			return h, strings.ToLower(path)
		}
	}
	owner := pkg.Owner.Login
	if owner == "" {
		owner = pkg.Namespace
	}
	return host, strings.ToLower(owner + "/" + pkg.Name)
}
