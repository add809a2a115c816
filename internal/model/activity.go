package model

import (
	"slices"
	"strings"
	"time"
)

// Priority ranks an activity.
type Priority string

// The activity priorities.
const (
	PriorityInfo    Priority = "INFO"
	PriorityWarning Priority = "WARNING"
	PriorityError   Priority = "ERROR"
)

// Actor kinds, the first part of an activity's actor ("user:alice").
const (
	ActorUser      = "user"
	ActorToken     = "token"
	ActorWebhook   = "webhook"
	ActorScheduler = "scheduler"
	ActorSystem    = "system"
)

// Entity types an activity can be about.
const (
	EntityProject        = "project"
	EntityVersion        = "version"
	EntityDockerRegistry = "dockerRegistry"
	EntityHelmRegistry   = "helmRegistry"
	EntityNamespace      = "namespace"
	EntityUser           = "user"
	EntityToken          = "token"
	// EntityInstallation: the whole installation (its id is the installation id).
	EntityInstallation = "installation"
)

// AdminOnlyEntityTypes are the entity types whose activities only ADMINs see, in the activity
// list and in live events alike: users and API tokens (who changed whose password or role,
// which tokens exist).
func AdminOnlyEntityTypes() []string { return []string{EntityUser, EntityToken} }

// AdminOnlyEntity reports whether activities about an entity type are for ADMINs only.
func AdminOnlyEntity(entityType string) bool {
	return slices.Contains(AdminOnlyEntityTypes(), entityType)
}

// DefaultActivityRetention is how long activities are kept unless configured otherwise.
const DefaultActivityRetention = 30 * 24 * time.Hour

// Activity is one entry of the activity log.
type Activity struct {
	ID          string    `json:"id" bson:"_id"`
	Time        time.Time `json:"time" bson:"time"`
	Priority    Priority  `json:"priority" bson:"priority"`
	Title       string    `json:"title" bson:"title"`
	Description string    `json:"description" bson:"description"`
	Actor       string    `json:"actor" bson:"actor"`
	EntityType  string    `json:"entityType" bson:"entityType"`
	EntityID    string    `json:"entityId" bson:"entityId"`
	// Revisions are the Helm revisions the operation this activity reports made (a deploy's
	// outcome): they bind each revision to the actor who asked for it (see ActorOfRevision).
	Revisions []Release `json:"-" bson:"revisions,omitempty"`
}

// ActorOfRevision is who asked for revision revision of release namespace/name, made at at,
// from a version's activities (newest first): the actor of the activity that reports that
// revision; for a revision no activity reports (made before activities carried revisions,
// or by an operation whose outcome was never recorded), the actor of the newest deploy
// activity not after at. "" when none is known.
func ActorOfRevision(acts []Activity, namespace, name string, revision int, at time.Time) string {
	for _, a := range acts {
		for _, r := range a.Revisions {
			if r.Namespace == namespace && r.Name == name && r.Revision == revision {
				return a.Actor
			}
		}
	}
	for _, a := range acts {
		title := strings.ToLower(a.Title)
		if len(a.Revisions) == 0 && !a.Time.After(at) && strings.Contains(title, "deploy") && !strings.Contains(title, "stop") {
			return a.Actor
		}
	}
	return ""
}
