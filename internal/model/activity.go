package model

import (
	"slices"
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
}
