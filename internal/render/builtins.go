package render

// Names of the built-in variables.
const (
	VarProjectName     = "PROJECT_NAME"      // the project's name
	VarProjectID       = "ONEKO_PROJECT"     // the project's id
	VarVersionName     = "VERSION_NAME"      // the version's name: the image tag
	VarVersionID       = "ONEKO_VERSION"     // the version's id
	VarSafeVersionName = "SAFE_VERSION_NAME" // O-Neko's: lowercase [a-z0-9] only, at most 63
	VarDNSVersionName  = "DNS_VERSION_NAME"  // a DNS-1123 label made from the tag
	VarImage           = "IMAGE"             // host/repository
	VarImageTag        = "IMAGE_TAG"         // the tag
	VarImageDigest     = "IMAGE_DIGEST"      // the manifest digest, or empty
	VarImageRef        = "IMAGE_REF"         // host/repository:tag@digest
	VarNamespace       = "NAMESPACE"         // the namespace the releases go to
	VarReleaseName     = "RELEASE_NAME"      // the release of the template being rendered
	VarURLs            = "URLS"              // the rendered URL templates, as a list
)

// Context is what a render knows about the version being deployed.
type Context struct {
	ProjectID       string // the project's id (ONEKO_PROJECT)
	ProjectName     string // the project's name (PROJECT_NAME)
	VersionID       string // the version's id (ONEKO_VERSION)
	VersionName     string // the version's name, which is the image tag (VERSION_NAME)
	ImageHost       string // registry host, such as "registry.example.com:5000"; may be empty
	ImageRepository string // repository, such as "team/app"
	ImageTag        string // the tag; VersionName when empty
	ImageDigest     string // the manifest digest, such as "sha256:…"; may be empty
	Namespace       string // the Kubernetes namespace the releases go to (NAMESPACE)
}

// Builtins returns the built-in variables of a version: every Var* constant except
// RELEASE_NAME, which Render sets per template, and URLS, which Render sets from the URL
// templates.
//
// IMAGE is "host/repo" (just "repo" without a host); IMAGE_REF is "IMAGE:tag@digest",
// without "@digest" when the digest is unknown and without ":tag" when the tag is empty.
func Builtins(ctx Context) map[string]string {
	tag := ctx.ImageTag
	if tag == "" {
		tag = ctx.VersionName
	}
	image := ctx.ImageRepository
	if ctx.ImageHost != "" {
		image = ctx.ImageHost + "/" + ctx.ImageRepository
	}
	ref := image
	if tag != "" {
		ref += ":" + tag
	}
	if ctx.ImageDigest != "" {
		ref += "@" + ctx.ImageDigest
	}
	return map[string]string{
		VarProjectName:     ctx.ProjectName,
		VarProjectID:       ctx.ProjectID,
		VarVersionName:     ctx.VersionName,
		VarVersionID:       ctx.VersionID,
		VarSafeVersionName: safeVersionName(ctx.VersionName),
		VarDNSVersionName:  dnsVersionName(ctx.VersionName),
		VarImage:           image,
		VarImageTag:        tag,
		VarImageDigest:     ctx.ImageDigest,
		VarImageRef:        ref,
		VarNamespace:       ctx.Namespace,
	}
}
