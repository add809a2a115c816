package api

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"
)

var ginParam = regexp.MustCompile(`[:*]([A-Za-z]+)`)

// openAPIPath turns a gin pattern (/projects/:id) into an OpenAPI path (/projects/{id}).
func openAPIPath(p string) string { return ginParam.ReplaceAllString(p, "{$1}") }

// OpenAPI builds the OpenAPI 3 document of exactly the routes the server answers, from the
// same table the router is built from, with each route's role as x-oneko-role.
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]map[string]any{}
	for _, r := range s.routes {
		p := openAPIPath(r.path)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		op := map[string]any{
			"summary":      r.summary,
			"operationId":  strings.ToLower(r.method) + strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_", "-", "_").Replace(p),
			"x-oneko-role": r.role,
			"responses": map[string]any{
				"default": map[string]any{
					"description": "A problem (RFC 9457)",
					"content":     map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}},
				},
			},
		}
		var params []any
		for _, m := range ginParam.FindAllStringSubmatch(r.path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if r.role == anon {
			op["security"] = []any{}
		}
		paths[p][strings.ToLower(r.method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "oneko API", "version": "v1"},
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"token":   map[string]any{"type": "http", "scheme": "bearer"},
				"basic":   map[string]any{"type": "http", "scheme": "basic"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": SessionCookie},
			},
			"schemas": map[string]any{
				"Problem": map[string]any{"type": "object", "properties": map[string]any{
					"type": map[string]any{"type": "string"}, "title": map[string]any{"type": "string"},
					"status": map[string]any{"type": "integer"}, "detail": map[string]any{"type": "string"},
				}},
			},
		},
		"security": []any{map[string]any{"token": []any{}}, map[string]any{"basic": []any{}}, map[string]any{"session": []any{}}},
	}
}

func (s *Server) openAPI(c *gin.Context) { c.JSON(http.StatusOK, s.OpenAPI()) }
