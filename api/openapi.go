package api

//go:generate go run ../tools/openapi ../web/openapi.json

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/registry"
)

// apiDoc describes what a route takes and answers. The OpenAPI document is generated from it:
// bodies are Go values whose types the schemas are generated from, never written by hand.
type apiDoc struct {
	in     any      // request body (a value of its Go type); nil: none
	inType string   // media type of the request body; "" is JSON
	inOpt  bool     // the request body may be left out
	query  []string // query parameters, by name in queryParams
	res    []answer // success answers
	// tagged: the answers carry an ETag header (the document's revision).
	tagged bool
	// guarded: a write that names the revision it was made from, in If-Match or the body's
	// revision field (428 without, 412 when it is not current).
	guarded bool
}

// answer is one success answer of a route.
type answer struct {
	status int
	body   any    // a value of the answer's Go type; nil: no body
	media  string // "" is JSON
}

// answers starts an apiDoc with a success answer.
func answers(status int, body any) apiDoc {
	return apiDoc{res: []answer{{status: status, body: body}}}
}

// ok is answers(200, body).
func ok(body any) apiDoc { return answers(http.StatusOK, body) }

// text is a 200 answer of another media type than JSON.
func text(media string) apiDoc {
	return apiDoc{res: []answer{{status: http.StatusOK, media: media}}}
}

// takes sets the request body.
func (d apiDoc) takes(in any) apiDoc { d.in = in; return d }

// mayTake sets a request body that may be left out.
func (d apiDoc) mayTake(in any) apiDoc { d.in, d.inOpt = in, true; return d }

// or adds another success answer.
func (d apiDoc) or(status int, body any) apiDoc {
	d.res = append(slices.Clone(d.res), answer{status: status, body: body})
	return d
}

// orText adds another success answer of a non-JSON media type.
func (d apiDoc) orText(status int, media string) apiDoc {
	d.res = append(slices.Clone(d.res), answer{status: status, media: media})
	return d
}

// etag says that the answers carry the document's ETag header.
func (d apiDoc) etag() apiDoc { d.tagged = true; return d }

// ifMatch says that the route is a guarded write: If-Match or the body's revision is required.
func (d apiDoc) ifMatch() apiDoc { d.tagged, d.guarded = true, true; return d }

// with names the query parameters.
func (d apiDoc) with(query ...string) apiDoc { d.query = query; return d }

// paged are the query parameters of every paginated list.
var paged = []string{"limit", "offset"}

// queryParams describes every query parameter a route can name.
var queryParams = map[string]*openapi3.Parameter{
	"limit":            queryParam("limit", "integer", "Page size (default 50, at most 500)", 0),
	"offset":           queryParam("offset", "integer", "Number of items to skip", 0),
	"q":                queryParam("q", "string", "Case-insensitive text the name contains", 0),
	"entityId":         queryParam("entityId", "string", "Only activities about this entity", 0),
	"dockerRegistryId": queryParam("dockerRegistryId", "string", "Use this docker registry instead of the export's", 0),
	"container":        queryParam("container", "string", "The container; may be left out when the pod has one regular container", 0),
	"tailLines":        queryParam("tailLines", "integer", "Only the last lines (1 to 100000)", 1),
	"sinceSeconds":     queryParam("sinceSeconds", "integer", "Only lines of the last seconds (at least 1)", 1),
	"previous":         queryParam("previous", "boolean", "The log of the previous instance of the container", 0),
	"timestamps":       queryParam("timestamps", "boolean", "Start each line with its time (RFC 3339)", 0),
	"follow":           queryParam("follow", "boolean", "Follow the log as Server-Sent Events (one event per line, the line's time as id)", 0),
	"download":         queryParam("download", "boolean", "Answer as a file download (Content-Disposition)", 0),
	"helmRegistryId":   queryParam("helmRegistryId", "string", "Use this Helm registry for every template instead of the export's", 0),
	"project":          queryParam("project", "string", "Only these projects: ids separated by commas (at most 100)", 0),
}

func queryParam(name, typ, description string, minimum float64) *openapi3.Parameter {
	s := &openapi3.Schema{Type: &openapi3.Types{typ}}
	if typ == "integer" {
		s.Min = &minimum
	}
	return &openapi3.Parameter{Name: name, In: openapi3.ParameterInQuery, Description: description, Schema: openapi3.NewSchemaRef("", s)}
}

// enums lists the values of the types that are enumerations.
var enums = map[reflect.Type][]any{
	reflect.TypeFor[model.Role]():                {model.RoleViewer, model.RoleDoer, model.RoleAdmin},
	reflect.TypeFor[model.DesiredState]():        {model.Deployed, model.NotDeployed},
	reflect.TypeFor[model.DeploymentStatus]():    {model.StatusNotDeployed, model.StatusPending, model.StatusRunning, model.StatusFailed, model.StatusUnknown},
	reflect.TypeFor[model.DeploymentBehaviour](): {model.BehaviourAutomatically, model.BehaviourManually},
	reflect.TypeFor[model.ProjectStatus]():       {model.ProjectOk, model.ProjectPending, model.ProjectError, model.ProjectNotDeployed},
	reflect.TypeFor[model.Priority]():            {model.PriorityInfo, model.PriorityWarning, model.PriorityError},
	reflect.TypeFor[auth.Kind]():                 {auth.KindSession, auth.KindToken, auth.KindBasic},
	reflect.TypeFor[registry.Format]():           toAny(registry.Formats()),
}

func toAny[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// fieldDoc marks a property of a generated schema.
type fieldDoc struct {
	readOnly, writeOnly bool
	enum                []any
	description         string
}

var (
	ro = fieldDoc{readOnly: true}
	wo = fieldDoc{writeOnly: true}
	// revisionDoc describes the revision of documents that a PUT replaces.
	revisionDoc = fieldDoc{description: "Increases with every write (the ETag header is the same number, quoted). " +
		"On PUT: the revision you read, unless If-Match names it; 428 without either, 412 when it is no longer current. Ignored on POST."}
)

// fields marks properties by Go type and JSON name: read-only ones are answered but ignored
// in requests, write-only ones (secrets) are accepted but never answered. A name that is not
// a property of its type fails the generation, so this table cannot go stale.
var fields = map[reflect.Type]map[string]fieldDoc{
	reflect.TypeFor[model.Project](): {"id": ro, "status": ro, "createdAt": ro, "updatedAt": ro, "deletingSince": ro, "revision": revisionDoc},
	reflect.TypeFor[model.Version](): {
		"id": ro, "projectId": ro, "name": ro, "digest": ro, "imageUpdatedAt": ro, "desiredState": ro, "outdated": ro, "outdatedReasons": ro,
		"urls": ro, "deployment": ro, "generation": ro, "removed": ro, "createdAt": ro,
	},
	reflect.TypeFor[model.DockerRegistry](): {"revision": revisionDoc, "id": ro, "hasPassword": ro, "hasWebhookSecret": ro, "webhookUrl": ro, "createdAt": ro, "updatedAt": ro},
	reflect.TypeFor[dockerRegistryInput](): {
		"password":      {writeOnly: true, description: "Write-only. On PUT: absent keeps the stored password, \"\" removes it."},
		"webhookSecret": {writeOnly: true, description: "Write-only. On PUT: absent keeps the stored secret, \"\" removes it."},
		"pollInterval":  {description: "A Go duration like 5m0s; 0s polls never (webhooks only). Absent: 5m0s on create, unchanged on PUT."},
	},
	reflect.TypeFor[model.HelmRegistry](): {"revision": revisionDoc, "id": ro, "hasPassword": ro, "createdAt": ro, "updatedAt": ro},
	reflect.TypeFor[helmRegistryInput]():  {"password": wo},
	reflect.TypeFor[model.User]():         {"revision": revisionDoc, "id": ro, "createdAt": ro, "updatedAt": ro},
	reflect.TypeFor[userInput]():          {"password": wo, "currentPassword": {writeOnly: true, description: "Write-only. Required when users change their own password."}},
	reflect.TypeFor[loginInput]():         {"password": wo},
	reflect.TypeFor[model.Token](): {
		"id": ro, "userId": ro, "createdAt": ro, "lastUsedAt": ro,
		"secret": {readOnly: true, description: "The token's secret, answered once when the token is created."},
	},
	reflect.TypeFor[model.Namespace]():             {"id": ro, "kubeName": ro, "createdAt": ro},
	reflect.TypeFor[WebhookDelivery]():             {"result": {enum: []any{deliveryQueued, deliveryIgnored, deliveryMalformed, deliveryUnauthorized, deliveryTooLarge, deliveryQueueUnavailable, deliveryFailed}}},
	reflect.TypeFor[diagnose.ReleaseDiff]():        {"change": {enum: []any{diagnose.ChangeNone, diagnose.ChangeChanged, diagnose.ChangeNew, diagnose.ChangeRemoved}}},
	reflect.TypeFor[extendInput]():                 {"lifetimeBehaviour": {description: "Another lifetime for the version, kept as its own (INHERIT: the project's). Absent: the version's current lifetime."}},
	reflect.TypeFor[model.ConfigurationTemplate](): {"id": {description: "Assigned by the server when absent."}},
	reflect.TypeFor[model.TemplateVariable]():      {"id": {description: "Assigned by the server when absent."}},
	reflect.TypeFor[lifetime.Behaviour](): {
		"type":  {enum: []any{lifetime.UntilTonight, lifetime.UntilWeekend, lifetime.Days, lifetime.Infinite, lifetime.Inherit}, description: "INHERIT is for versions only."},
		"value": {description: "Number of days, for DAYS only (1 to 365)."},
	},
}

// schemaNames renames component schemas whose Go name says too little outside its package.
var schemaNames = map[reflect.Type]string{
	reflect.TypeFor[lifetime.Behaviour](): "Lifetime",
}

// schemaName names the component schema of a Go type: exported style, and list[T] as TList.
func schemaName(t reflect.Type) string {
	if name, ok := schemaNames[t]; ok {
		return name
	}
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		arg := name[i+1 : len(name)-1]
		arg = arg[strings.LastIndexAny(arg, "./")+1:]
		name = arg + upperFirst(name[:i])
	}
	return upperFirst(name)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

var textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()

// customize completes a generated schema from the tables above.
func (b *documentBuilder) customize(_ string, t reflect.Type, _ reflect.StructTag, s *openapi3.Schema) error {
	if values, ok := enums[t]; ok {
		s.Enum = values
	}
	if t.Kind() != reflect.Struct && t.Implements(textMarshaler) {
		// Written as text (model.Duration: "5m0s"), whatever its Go kind.
		s.Type, s.Format, s.Min, s.Max = &openapi3.Types{"string"}, "", nil, nil
	}
	if t.Kind() != reflect.Struct || s.Properties == nil {
		return nil
	}
	// Fields of embedded structs are properties of this schema: their marks apply too.
	for _, f := range reflect.VisibleFields(t) {
		if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("json") == "" {
			if err := markProperties(f.Type, s, false); err != nil {
				return err
			}
		}
	}
	if err := markProperties(t, s, true); err != nil {
		return err
	}
	b.require(t, s)
	return nil
}

// require lists as required the properties every answer carries: no omitempty, no pointer,
// not write-only. Types that requests carry require only their read-only properties, which
// OpenAPI applies to answers alone, since a request may leave the others out.
func (b *documentBuilder) require(t reflect.Type, s *openapi3.Schema) {
	s.Required = nil
	for _, f := range reflect.VisibleFields(t) {
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if tag == "" || name == "-" || f.Anonymous || !f.IsExported() || strings.Contains(opts, "omitempty") || f.Type.Kind() == reflect.Pointer {
			continue
		}
		prop, ok := s.Properties[name]
		if !ok || prop.Value == nil || prop.Value.WriteOnly {
			continue
		}
		if b.inTypes[t] && !prop.Value.ReadOnly {
			continue
		}
		s.Required = append(s.Required, name)
	}
	slices.Sort(s.Required)
	s.Required = slices.Compact(s.Required)
}

// markProperties applies the fields table of Go type t to the properties of s. strict says
// that every name in the table must be a property.
func markProperties(t reflect.Type, s *openapi3.Schema, strict bool) error {
	for name, d := range fields[t] {
		prop, ok := s.Properties[name]
		if !ok && strict {
			return fmt.Errorf("openapi: %s has no property %q", t, name)
		}
		if !ok {
			continue
		}
		if strings.HasPrefix(prop.Ref, "#/") {
			// Keywords beside a $ref are ignored in OpenAPI 3.0: wrap it.
			prop = openapi3.NewSchemaRef("", &openapi3.Schema{AllOf: openapi3.SchemaRefs{prop}})
			s.Properties[name] = prop
		}
		v := prop.Value
		v.ReadOnly = v.ReadOnly || d.readOnly
		v.WriteOnly = v.WriteOnly || d.writeOnly
		if d.enum != nil {
			v.Enum = d.enum
		}
		if d.description != "" {
			v.Description = d.description
		}
	}
	return nil
}

// documentBuilder turns the route table into an OpenAPI document.
type documentBuilder struct {
	gen     *openapi3gen.Generator
	schemas openapi3.Schemas
	// inTypes are the struct types that request bodies contain.
	inTypes map[reflect.Type]bool
}

// collectTypes adds t and every struct type reachable from it to seen.
func collectTypes(t reflect.Type, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for _, f := range reflect.VisibleFields(t) {
		collectTypes(f.Type, seen)
	}
}

// schema generates the schema of body's Go type, registering named structs as components.
func (b *documentBuilder) schema(body any) (*openapi3.SchemaRef, error) {
	ref, err := b.gen.NewSchemaRefForValue(body, b.schemas)
	if err != nil {
		return nil, fmt.Errorf("openapi: schema of %T: %w", body, err)
	}
	return ref, nil
}

func content(media string, s *openapi3.SchemaRef) openapi3.Content {
	if media == "" {
		media = "application/json"
	}
	return openapi3.Content{media: &openapi3.MediaType{Schema: s}}
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z]+)`)

// openAPIPath turns a gin pattern (/projects/:id) into an OpenAPI path (/projects/{id}).
func openAPIPath(p string) string { return ginParam.ReplaceAllString(p, "{$1}") }

// roleText says in words who may call a route.
func roleText(role string) string {
	if role == anon {
		return "Role: anyone, without authentication."
	}
	return "Role: " + role + " or higher."
}

// buildOpenAPI builds the OpenAPI 3 document of exactly the routes in the table, with each
// route's role as x-oneko-role and in its description.
func buildOpenAPI(routes []route) (*openapi3.T, error) {
	b := &documentBuilder{schemas: openapi3.Schemas{}, inTypes: map[reflect.Type]bool{}}
	for _, r := range routes {
		if r.doc.in != nil {
			collectTypes(reflect.TypeOf(r.doc.in), b.inTypes)
		}
	}
	b.gen = openapi3gen.NewGenerator(
		openapi3gen.SchemaCustomizer(b.customize),
		openapi3gen.CreateTypeNameGenerator(schemaName),
		openapi3gen.CreateComponentSchemas(openapi3gen.ExportComponentSchemasOptions{
			ExportComponentSchemas: true, ExportTopLevelSchema: true, ExportGenerics: true,
		}),
	)
	problemRef := "#/components/responses/Problem"
	problemSchema, err := b.schema(Problem{})
	if err != nil {
		return nil, err
	}
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{
			Title:   "oneko API",
			Version: "v1",
			Description: "Every tag of a container image becomes a version that anyone can deploy into Kubernetes. " +
				"Each operation names its lowest role in x-oneko-role (ANONYMOUS, VIEWER, DOER, ADMIN). " +
				"Failures are problem+json (RFC 9457); detail says what to fix.",
		},
		Paths: openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas: b.schemas,
			Responses: openapi3.ResponseBodies{
				"Problem": &openapi3.ResponseRef{Value: openapi3.NewResponse().
					WithDescription("A problem (RFC 9457): detail says what went wrong and what to fix").
					WithContent(content("application/problem+json", problemSchema))},
			},
			SecuritySchemes: openapi3.SecuritySchemes{
				"token":   {Value: openapi3.NewJWTSecurityScheme().WithBearerFormat("oneko API token").WithDescription("An API token: Authorization: Bearer <secret>")},
				"basic":   {Value: openapi3.NewSecurityScheme().WithType("http").WithScheme("basic").WithDescription("Username or e-mail and password")},
				"session": {Value: openapi3.NewSecurityScheme().WithType("apiKey").WithIn("cookie").WithName(SessionCookie).WithDescription("The session cookie set by POST /api/v1/session")},
			},
		},
		Security: openapi3.SecurityRequirements{{"token": {}}, {"basic": {}}, {"session": {}}},
	}
	for _, r := range routes {
		op, err := b.operation(r, problemRef)
		if err != nil {
			return nil, err
		}
		doc.AddOperation(openAPIPath(r.path), r.method, op)
	}
	return doc, nil
}

// operation describes one route.
func (b *documentBuilder) operation(r route, problemRef string) (*openapi3.Operation, error) {
	p := openAPIPath(r.path)
	op := &openapi3.Operation{
		Summary:     r.summary,
		Description: r.summary + ". " + roleText(r.role),
		OperationID: strings.ToLower(r.method) + strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_", "-", "_").Replace(p),
		Extensions:  map[string]any{"x-oneko-role": r.role},
		Responses:   openapi3.NewResponses(),
	}
	if r.role == anon {
		op.Security = &openapi3.SecurityRequirements{}
	}
	pathParams := ginParam.FindAllStringSubmatch(r.path, -1)
	for _, m := range pathParams {
		op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: openapi3.NewPathParameter(m[1]).
			WithSchema(openapi3.NewStringSchema())})
	}
	for _, name := range r.doc.query {
		q, ok := queryParams[name]
		if !ok {
			return nil, fmt.Errorf("openapi: %s %s names unknown query parameter %q", r.method, r.path, name)
		}
		op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: q})
	}
	if r.doc.in != nil {
		s, err := b.schema(r.doc.in)
		if err != nil {
			return nil, err
		}
		op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(!r.doc.inOpt).WithContent(content(r.doc.inType, s))}
	}
	if len(r.doc.res) == 0 {
		return nil, fmt.Errorf("openapi: %s %s declares no answer", r.method, r.path)
	}
	op.Responses.Delete("default")
	for _, a := range r.doc.res {
		res := openapi3.NewResponse().WithDescription(http.StatusText(a.status))
		if prev := op.Responses.Value(fmt.Sprint(a.status)); prev != nil {
			res = prev.Value // another media type of the same answer
		}
		var c openapi3.Content
		switch {
		case a.body != nil:
			s, err := b.schema(a.body)
			if err != nil {
				return nil, err
			}
			c = content(a.media, s)
		case a.media != "":
			c = content(a.media, openapi3.NewStringSchema().NewRef())
		}
		if res.Content == nil {
			res.Content = openapi3.Content{}
		}
		for media, m := range c {
			res.Content[media] = m
		}
		if len(res.Content) == 0 {
			res.Content = nil
		}
		if r.doc.tagged {
			res.Headers = openapi3.Headers{"ETag": &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
				Description: `The document's revision, quoted ("7"): send it as If-Match with a PUT`,
				Schema:      openapi3.NewStringSchema().NewRef(),
			}}}}
		}
		op.Responses.Set(fmt.Sprint(a.status), &openapi3.ResponseRef{Value: res})
	}
	if r.doc.guarded {
		op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: &openapi3.Parameter{
			Name: "If-Match", In: openapi3.ParameterInHeader, Schema: openapi3.NewStringSchema().NewRef(),
			Description: "The ETag of the document you changed (or * for any); required unless the body's revision names it",
		}})
	}
	problems := []int{}
	if r.doc.in != nil || len(r.doc.query) > 0 {
		problems = append(problems, http.StatusBadRequest)
	}
	if r.role != anon {
		problems = append(problems, http.StatusUnauthorized, http.StatusForbidden)
	}
	if len(pathParams) > 0 {
		problems = append(problems, http.StatusNotFound)
	}
	if r.doc.in != nil {
		problems = append(problems, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity)
	}
	if r.doc.guarded {
		problems = append(problems, http.StatusPreconditionFailed, http.StatusPreconditionRequired)
	}
	for _, status := range problems {
		op.Responses.Set(fmt.Sprint(status), &openapi3.ResponseRef{Ref: problemRef})
	}
	op.Responses.Set("default", &openapi3.ResponseRef{Ref: problemRef})
	return op, nil
}

// marshalOpenAPI writes the document as indented JSON with a final newline: the bytes served
// and committed in web/openapi.json.
func marshalOpenAPI(doc *openapi3.T) ([]byte, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return append(out, '\n'), nil
}

// OpenAPIJSON is the OpenAPI document the server serves at /api/v1/openapi.json.
func (s *Server) OpenAPIJSON() []byte { return s.openAPIDoc }

func (s *Server) openAPI(c *gin.Context) { c.Data(http.StatusOK, "application/json", s.openAPIDoc) }
