package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

func (s *Server) listNamespaces(c *gin.Context) {
	pg, err := page(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.Store.ListNamespaces(c.Request.Context(), pg)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(items, total))
}

// namespaceInput is the body of POST /namespaces: the name as the user gives it.
type namespaceInput struct {
	Name string `json:"name"`
}

// createNamespace stores the namespace, then creates it in the cluster. It holds no pull
// secret yet: a deploy writes the one of its project's docker registry (other registries'
// credentials never go into it). If the cluster refuses, the document is removed again:
// nothing is left half-written.
func (s *Server) createNamespace(c *gin.Context) {
	var in namespaceInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	kube, err := model.SanitizeNamespace(in.Name)
	if err != nil {
		s.fail(c, unprocessable("name", err.Error()))
		return
	}
	ctx := c.Request.Context()
	n := &model.Namespace{Name: in.Name, KubeName: kube}
	if err := s.Store.CreateNamespace(ctx, n); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.Cluster.EnsureNamespace(ctx, kube, nil); err != nil {
		err = fmt.Errorf("%w: create namespace %s: %w", errClusterUnavailable, kube, err)
		if derr := s.Store.DeleteNamespace(ctx, n.ID); derr != nil {
			s.log.ErrorContext(ctx, "cannot remove namespace document after cluster failure", "namespace", kube, "err", derr)
		}
		s.fail(c, err)
		return
	}
	s.record(c, model.PriorityInfo, model.EntityNamespace, n.ID, "Namespace created", "namespace %s", kube)
	c.JSON(http.StatusCreated, n)
}

// deleteNamespace deletes the namespace from the cluster and the store; it is refused while a
// project or version deploys into it.
func (s *Server) deleteNamespace(c *gin.Context) {
	ctx := c.Request.Context()
	n, err := s.Store.GetNamespace(ctx, c.Param("id"))
	if err != nil {
		err = notFoundAs(err, "no namespace with id %q", c.Param("id"))
		s.fail(c, err)
		return
	}
	users, err := s.Store.CountProjectsUsingNamespace(ctx, n.KubeName)
	if err != nil {
		s.fail(c, err)
		return
	}
	if users > 0 {
		s.fail(c, fmt.Errorf("namespace %s: %d project(s) or version(s) deploy into it: %w", n.KubeName, users, store.ErrInUse))
		return
	}
	if err := s.Cluster.DeleteNamespace(ctx, n.KubeName); err != nil {
		s.fail(c, fmt.Errorf("%w: delete namespace %s: %w", errClusterUnavailable, n.KubeName, err))
		return
	}
	if err := s.Store.DeleteNamespace(ctx, n.ID); err != nil {
		s.fail(c, err)
		return
	}
	s.record(c, model.PriorityInfo, model.EntityNamespace, n.ID, "Namespace deleted", "namespace %s", n.KubeName)
	c.Status(http.StatusNoContent)
}
