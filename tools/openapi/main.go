// Command openapi writes the api's OpenAPI document, generated from its route table and Go
// types, to the file named by its argument (make openapi: web/openapi.json, from which the
// dashboard's TypeScript types are generated).
package main

import (
	"fmt"
	"os"

	"github.com/oneko/oneko/api"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: openapi FILE")
	}
	s, err := api.New(api.Deps{})
	if err != nil {
		return err
	}
	return os.WriteFile(args[0], s.OpenAPIJSON(), 0o644)
}
